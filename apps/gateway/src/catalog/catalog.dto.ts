import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AUDIENCES, STEP_KINDS, type Audience, type StepKind } from '@levensloop/domain';

/** Titles per language; the domain validation checks that nl is there and languages are known. */
export class TranslationsDto {
  // Optional here so that a missing nl title is reported by the domain validation together with every other problem.
  @ApiProperty({ example: 'Onderneming inschrijven' }) @IsOptional() @IsString() @MaxLength(200) nl: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) fr?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) de?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) en?: string;
}

export class CreateAgencyDto {
  @ApiProperty({ example: 'enterprise-counter' }) @IsString() @MaxLength(64) code: string;
  @ApiProperty({ type: TranslationsDto }) @IsObject() @ValidateNested() @Type(() => TranslationsDto) names: TranslationsDto;
}

export class ServiceNormDto {
  @ApiProperty({ example: 'P5D', description: 'ISO-8601 duration from the start of the step' }) @IsString() @MaxLength(64) target: string;
  @ApiPropertyOptional({ example: 'P3D' }) @IsOptional() @IsString() @MaxLength(64) warn?: string;
  @ApiPropertyOptional({ example: 'P10D' }) @IsOptional() @IsString() @MaxLength(64) escalate?: string;
}

export class RetryPolicyDto {
  @ApiProperty({ example: 5 }) @IsInt() maximumAttempts: number;
  @ApiProperty({ example: 'PT1S' }) @IsString() @MaxLength(64) initialInterval: string;
  @ApiProperty({ example: 2 }) @IsNumber() backoffCoefficient: number;
  @ApiProperty({ example: 'PT1M' }) @IsString() @MaxLength(64) maximumInterval: string;
}

export class StepDefinitionDto {
  @ApiProperty({ example: 'register-enterprise' }) @IsString() @MaxLength(64) key: string;
  @ApiProperty({ enum: STEP_KINDS }) @IsIn(STEP_KINDS as unknown as string[], { message: `kind must be one of ${STEP_KINDS.join(', ')}` }) kind: StepKind;
  @ApiProperty({ type: TranslationsDto }) @IsObject() @ValidateNested() @Type(() => TranslationsDto) titles: TranslationsDto;
  @ApiPropertyOptional({ description: 'For automatic steps: the agency endpoint (POST)' }) @IsOptional() @IsString() @MaxLength(2000) endpoint?: string;
  @ApiProperty({ type: ServiceNormDto }) @IsObject() @ValidateNested() @Type(() => ServiceNormDto) serviceNorm: ServiceNormDto;
  @ApiPropertyOptional({ type: RetryPolicyDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => RetryPolicyDto) retry?: RetryPolicyDto;
}

export class StepReferenceDto {
  @ApiProperty() @IsString() @MaxLength(64) agency: string;
  @ApiProperty() @IsString() @MaxLength(64) key: string;
  @ApiProperty() @IsInt() @Min(1) version: number;
}

export class LifeEventNodeDto {
  @ApiProperty({ example: 'register' }) @IsString() @MaxLength(64) key: string;
  @ApiProperty({ type: StepReferenceDto }) @IsObject() @ValidateNested() @Type(() => StepReferenceDto) step: StepReferenceDto;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) dependsOn?: string[];
  @ApiPropertyOptional({ description: 'JSONLogic over { data, subject, steps }', example: { '==': [{ var: 'data.activity.servesAlcohol' }, true] } })
  @IsOptional()
  @IsDefined()
  condition?: unknown;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() optional?: boolean;
}

export class LifeEventDefinitionDto {
  @ApiProperty({ example: 'starting-a-business' }) @IsString() @MaxLength(64) key: string;
  @ApiProperty({ enum: AUDIENCES }) @IsIn(AUDIENCES as unknown as string[], { message: `audience must be one of ${AUDIENCES.join(', ')}` }) audience: Audience;
  @ApiProperty({ type: TranslationsDto }) @IsObject() @ValidateNested() @Type(() => TranslationsDto) titles: TranslationsDto;
  @ApiProperty({ type: [LifeEventNodeDto] }) @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => LifeEventNodeDto) nodes: LifeEventNodeDto[];
}
