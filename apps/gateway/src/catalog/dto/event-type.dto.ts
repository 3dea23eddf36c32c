import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { EVENT_KINDS, type EventKind } from '@levensloop/sources';

export class EventSubjectDto {
  @ApiProperty({ enum: ['person', 'enterprise'], example: 'person' }) @IsIn(['person', 'enterprise']) type: 'person' | 'enterprise';
  @ApiProperty({ example: 'person.nationalNumber', description: "Dotted path in the event's data; the schema must declare and require every part" })
  @IsString()
  @MaxLength(200)
  path: string;
}

export class RegisterEventTypeDto {
  @ApiProperty({ example: 'be.address-register.address.changed', description: 'CloudEvents type, reverse-DNS style' }) @IsString() @MaxLength(200) type: string;
  @ApiProperty({ example: 'address-register', description: 'The authentic source that may publish it (a key of GET /sources)' }) @IsString() @MaxLength(64) source: string;
  @ApiProperty({ enum: EVENT_KINDS, description: 'start: may start life events; annul: voids the registrations of `annuls` (their journeys are cancelled); change, correct: tells the subject\'s open journeys' })
  @IsIn(EVENT_KINDS as EventKind[])
  kind: EventKind;
  @ApiProperty({ type: EventSubjectDto }) @IsObject() @ValidateNested() @Type(() => EventSubjectDto) subject: EventSubjectDto;
  @ApiPropertyOptional({ example: 'be.national-register.birth.registered', description: 'Kind annul only: the start type it voids' }) @IsOptional() @IsString() @MaxLength(200) annuls?: string;
  @ApiProperty({ example: 'change of address', description: 'How reasons and results name the event' }) @IsString() @MaxLength(500) description: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { type: 'object', required: ['person'], properties: { person: { type: 'object', required: ['nationalNumber'], properties: { nationalNumber: { type: 'string', format: 'national-number' } } } } },
    description: "JSON Schema (draft-07) of the event's data; formats national-number, enterprise-number and date check the registers' numbers and real days; a property's description says what it must be in problems",
  })
  @IsObject()
  schema: Record<string, unknown>;
}

export class EventTypeResponse extends RegisterEventTypeDto {
  @ApiProperty({ example: 1, description: '0: built in; each registration that changes the type adds a version' }) version: number;
  @ApiProperty() builtIn: boolean;
  @ApiPropertyOptional() registeredAt?: string;
  @ApiPropertyOptional() registeredBy?: string;
}
