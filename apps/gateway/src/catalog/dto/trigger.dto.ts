import { JSON_LOGIC_SCHEMA } from './translations.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { LifeEventTrigger, SubjectType } from '@levensloop/domain';

/* Shapes only: event types, paths, conditions and the audience match are checked by the domain (422). */

const SUBJECT_TYPES: SubjectType[] = ['person', 'enterprise'];

export class TriggerSubjectDto {
  @ApiProperty({ enum: SUBJECT_TYPES, example: 'person', description: 'person for citizen life events, enterprise for business ones' })
  @IsIn(SUBJECT_TYPES, { message: `type must be one of ${SUBJECT_TYPES.join(', ')}` })
  type: SubjectType;

  @ApiProperty({ example: 'child.nationalNumber', description: 'Dotted path into the event data to the national or enterprise number' })
  @IsString()
  @MaxLength(200)
  path: string;
}

export class TriggerMandatesDto {
  @ApiProperty({ example: 'parents', description: 'Dotted path into the event data to a list of national numbers' }) @IsString() @MaxLength(200) path: string;
  @ApiProperty({ example: 'parent', description: 'The kind of mandate each of them gets (lowercase kebab case, at most 32 characters), once the register confirms the relation' }) @IsString() @MaxLength(64) kind: string;
  @ApiPropertyOptional({ enum: ['act', 'read'], default: 'act', description: "act: see the subject's journeys, complete their tasks and consent; read: see only" }) @IsOptional() access?: 'read' | 'act';
  @ApiPropertyOptional({ type: [String], example: ['birth-of-a-child'], description: 'The life events the mandate covers; every one when left out' }) @IsOptional() lifeEvents?: string[];
}

export class LifeEventTriggerDto implements LifeEventTrigger {
  @ApiProperty({ example: 'be.national-register.birth.registered', description: 'CloudEvents type of the source event' }) @IsString() @MaxLength(200) eventType: string;

  @ApiProperty({ type: TriggerSubjectDto }) @IsObject() @ValidateNested() @Type(() => TriggerSubjectDto) subject: TriggerSubjectDto;

  @ApiPropertyOptional({
    description: 'JSONLogic over { event }: the life event starts only when it holds',
    example: { '==': [{ var: 'event.data.child.bornAlive' }, true] },
    ...JSON_LOGIC_SCHEMA,
  })
  @IsOptional()
  condition?: unknown;

  @ApiPropertyOptional({
    description: 'Journey data copied from the event: data name → dotted path into the event data',
    example: { birthDate: 'child.birthDate' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, string>;

  @ApiPropertyOptional({ type: TriggerMandatesDto, description: 'Who may act for the subject in this journey' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TriggerMandatesDto)
  mandates?: TriggerMandatesDto;
}
