import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { AUDIENCES, type Audience, type LifeEventDefinition, type LifeEventNode, type StepReference } from '@levensloop/domain';
import { JSON_LOGIC_SCHEMA, TranslationsDto } from './translations.dto';
import { LifeEventTriggerDto } from './trigger.dto';
import { VersionInfoDto } from './version-info.dto';

/* Types and shapes only: references, the graph and conditions are checked by the domain validation (422). */

export class StepReferenceDto implements StepReference {
  @ApiPropertyOptional({ example: 'enterprise-counter', description: 'The agency; leave out when agencyRole names it' })
  @ValidateIf((r: StepReferenceDto) => r.agencyRole === undefined || r.agency !== undefined)
  @IsString()
  @MaxLength(64)
  agency: string;
  @ApiPropertyOptional({
    example: 'municipality',
    description: "Name the agency by role instead: the journey routes the step to the agency serving its subject (municipality: the address register's municipality code); version must then be 0 (the routed agency's latest, pinned when the step starts)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agencyRole?: string;
  @ApiProperty({ example: 'register-enterprise' }) @IsString() @MaxLength(64) key: string;
  @ApiProperty({ example: 1, minimum: 0, description: 'A published version of the step (0 with agencyRole)' }) @IsInt() @Min(0) @Max(2_147_483_647) version: number;
}

export class LifeEventNodeDto implements LifeEventNode {
  @ApiProperty({ example: 'register', description: 'Key of the node inside this life event' }) @IsString() @MaxLength(64) key: string;

  @ApiProperty({ type: StepReferenceDto }) @IsObject() @ValidateNested() @Type(() => StepReferenceDto) step: StepReferenceDto;

  @ApiPropertyOptional({ type: [String], example: ['register'], description: 'Keys of the nodes that must finish first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  dependsOn?: string[];

  @ApiPropertyOptional({
    description: 'JSONLogic over { data, subject, steps }: the step runs only when it holds',
    example: { '==': [{ var: 'data.activity.servesAlcohol' }, true] },
    ...JSON_LOGIC_SCHEMA,
  })
  @IsOptional()
  condition?: unknown;

  @ApiPropertyOptional({ description: 'An optional step never blocks the journey' }) @IsOptional() @IsBoolean() optional?: boolean;
}

export class LifeEventDefinitionDto implements LifeEventDefinition {
  @ApiProperty({ example: 'starting-a-business' }) @IsString() @MaxLength(64) key: string;

  @ApiProperty({ enum: AUDIENCES })
  @IsIn(AUDIENCES as unknown as string[], { message: `audience must be one of ${AUDIENCES.join(', ')}` })
  audience: Audience;

  @ApiProperty({ type: TranslationsDto }) @IsObject() @ValidateNested() @Type(() => TranslationsDto) titles: TranslationsDto;

  // The domain explains the real limit (200); this only bounds the work of validation.
  @ApiProperty({ type: [LifeEventNodeDto] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => LifeEventNodeDto)
  nodes: LifeEventNodeDto[];

  @ApiPropertyOptional({ type: [LifeEventTriggerDto], description: 'Source events that start this life event by themselves (proactive journeys)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => LifeEventTriggerDto)
  triggers?: LifeEventTriggerDto[];
}

export class LifeEventVersionResponse extends IntersectionType(LifeEventDefinitionDto, VersionInfoDto) {}
