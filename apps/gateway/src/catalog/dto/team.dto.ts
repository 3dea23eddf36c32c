import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { TranslationsDto } from './translations.dto';

/** A team to register: its code and its names (the domain rules require all four languages: 422). */
export class RegisterTeamDto {
  @ApiProperty({ example: 'intake', description: 'Lowercase letters, digits and hyphens, 2 to 64 characters; unique within the agency' })
  @IsString()
  @MaxLength(64)
  code: string;

  @ApiProperty({ type: TranslationsDto, description: 'The name in nl, fr, de and en (all four required)' })
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationsDto)
  names: TranslationsDto;
}

export class TeamResponse {
  @ApiProperty({ example: 'municipality' }) agency: string;
  @ApiProperty({ example: 'intake' }) code: string;
  @ApiProperty({ type: TranslationsDto }) names: TranslationsDto;
  @ApiProperty({ type: String, format: 'date-time' }) registeredAt: Date;
}
