import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { LANGUAGES } from '@levensloop/domain';

/** One supervisor of an agency, as the escalation e-mails reach them. */
export class SupervisorContactDto {
  @ApiProperty({ example: 'an.peeters@growth.example', description: 'Where the escalations of the agency (or of its teams) are e-mailed' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email: string;

  @ApiPropertyOptional({ example: 'An Peeters' })
  @IsOptional()
  @IsString({ message: 'name must be a text' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string;

  @ApiProperty({ enum: LANGUAGES, example: 'nl', description: 'The language of their e-mails' })
  @IsIn(LANGUAGES as unknown as string[], { message: `language must be one of ${LANGUAGES.join(', ')}` })
  language: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['intake'],
    description: "Team codes: this supervisor is told of the escalations of these teams' steps only. Left out or empty: of every step of the agency.",
  })
  @IsOptional()
  @IsArray({ message: 'teams must be a list of team codes' })
  @ArrayMaxSize(50, { message: 'teams lists at most 50 teams' })
  @ArrayUnique({ message: 'teams lists each team once' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { each: true, message: 'each team must be a team code (lowercase letters, digits and hyphens, at most 64)' })
  teams?: string[];
}

export class SupervisorContactsDto {
  @ApiProperty({ type: [SupervisorContactDto], description: "The agency's whole list: it replaces the one there is" })
  @IsArray({ message: 'supervisors must be a list' })
  @ArrayMaxSize(200, { message: 'supervisors lists at most 200 supervisors' })
  @ValidateNested({ each: true })
  @Type(() => SupervisorContactDto)
  supervisors: SupervisorContactDto[];
}

export class SupervisorContactResponse {
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiProperty({ type: [String] }) teams: string[];
}

export class SupervisorContactsResponse {
  @ApiProperty() agency: string;
  @ApiProperty({ type: [SupervisorContactResponse] }) supervisors: SupervisorContactResponse[];
}
