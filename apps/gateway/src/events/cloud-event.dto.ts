import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsRFC3339, IsString, Matches, MaxLength } from 'class-validator';

/** A CloudEvent 1.0 in structured mode (https://github.com/cloudevents/spec), JSON data only. */
export class CloudEventDto {
  @ApiProperty({ example: '1.0' })
  @IsIn(['1.0'], { message: "specversion must be '1.0' (CloudEvents 1.0)" })
  specversion: string;

  @ApiProperty({ example: 'c0a8012e-7d1b-4b0e-9a61-2f3a4d5e6f70', description: 'Unique per source: a redelivery with the same id is a no-op' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'id must be visible ASCII characters without spaces' })
  id: string;

  @ApiProperty({ example: 'national-register', description: "The publishing source; must equal the token's source claim" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  source: string;

  @ApiProperty({ example: 'be.national-register.birth.registered' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  type: string;

  @ApiPropertyOptional({ example: '24112600123', description: 'When given, must equal the subject the type names in data' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;

  @ApiPropertyOptional({ example: '2026-11-24T10:00:00Z' })
  @IsOptional()
  @IsRFC3339({ message: 'time must be an RFC 3339 timestamp, e.g. 2026-11-24T10:00:00Z' })
  time?: string;

  @ApiPropertyOptional({ example: 'application/json' })
  @IsOptional()
  @Matches(/^application\/json(\s*;.*)?$/i, { message: 'datacontenttype must be application/json (data is a JSON object)' })
  datacontenttype?: string;

  @ApiPropertyOptional({ description: 'A URI of the schema data adheres to' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  dataschema?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { child: { nationalNumber: '24112600123', birthDate: '2026-11-24' }, parents: ['90010100123'] } })
  @IsObject({ message: 'data must be a JSON object (structured mode with JSON data; data_base64 is not accepted)' })
  data: Record<string, unknown>;
}

export const CLOUD_EVENT_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data'];
/** CloudEvents extension attribute names: lower-case letters and digits (accepted, not stored). */
export const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
export const MAX_BATCH = 500;
