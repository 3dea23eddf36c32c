import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { OBJECTION_VERDICTS, type ObjectionVerdict } from '@levensloop/domain';

export class FileObjectionDto {
  @ApiProperty({ example: 'My child lives with me since March; the register was not up to date.', description: 'Why the decision is wrong' })
  @IsString({ message: 'reason must say why the decision is wrong' })
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(4000)
  reason: string;
}

/** The explanation for the citizen, in their language at least (any of nl, fr, de, en). */
export class ReviewExplanationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) nl?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) fr?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) de?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) en?: string;
}

export class ReviewObjectionDto {
  @ApiProperty({ enum: OBJECTION_VERDICTS, description: "uphold: the decision stands; grant or deny: the decision is revised to that outcome" })
  @IsIn(OBJECTION_VERDICTS as unknown as string[], { message: `verdict must be one of ${OBJECTION_VERDICTS.join(', ')}` })
  verdict: ObjectionVerdict;

  @ApiProperty({ type: ReviewExplanationDto, example: { nl: 'Uit het attest blijkt dat het kind bij u woont.' }, description: "Why, for the citizen: in their language at least" })
  @IsObject({ message: 'explanation must be an object with a text per language, e.g. { "nl": "…" }' })
  @ValidateNested()
  @Type(() => ReviewExplanationDto)
  explanation: ReviewExplanationDto;
}

export class ObjectionStatsQuery {
  @ApiPropertyOptional({ description: 'Only this rule (its id)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  rule?: string;
}
