import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, Validate, ValidateNested, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { GRANTED_MANDATE_MAX_LIFE_EVENTS, KEY_PATTERN, type MandateAccess } from '@levensloop/domain';
import { SubjectDto } from '../journeys/journey.dto';

/** 'all', or a list of life-event keys (at most GRANTED_MANDATE_MAX_LIFE_EVENTS). */
@ValidatorConstraint({ name: 'lifeEvents' })
class LifeEventsScope implements ValidatorConstraintInterface {
  validate(value: unknown) {
    if (value === 'all') return true;
    return Array.isArray(value) && value.length >= 1 && value.length <= GRANTED_MANDATE_MAX_LIFE_EVENTS && value.every((k) => typeof k === 'string' && KEY_PATTERN.test(k));
  }
  defaultMessage() {
    return `lifeEvents must be 'all' or a list of 1 to ${GRANTED_MANDATE_MAX_LIFE_EVENTS} life-event keys (e.g. ["birth-of-a-child"])`;
  }
}

export class EnterpriseGrantorDto {
  @ApiProperty({ enum: ['enterprise'] })
  @IsIn(['enterprise'], { message: "grantor type must be 'enterprise': you grant for yourself by leaving grantor out" })
  type: 'enterprise';

  @ApiProperty({ description: 'The enterprise number (10 digits) of an enterprise the enterprise register names you a representative of.', example: '0123456749' })
  @Matches(/^\d{10}$/, { message: 'an enterprise is identified by its 10-digit enterprise number' })
  id: string;
}

export class GrantMandateDto {
  @ApiProperty({ type: SubjectDto, description: 'Who receives the mandate: a person (national number) or an enterprise (enterprise number).' })
  @IsObject({ message: 'holder must name a person or an enterprise: { "type": "person", "id": "<national number>" }' })
  @ValidateNested()
  @Type(() => SubjectDto)
  holder: SubjectDto;

  @ApiPropertyOptional({ type: EnterpriseGrantorDto, description: 'Grant for an enterprise you represent (checked in the enterprise register); absent: you grant for yourself.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EnterpriseGrantorDto)
  grantor?: EnterpriseGrantorDto;

  @ApiProperty({ description: "The life events the mandate covers: 'all' or their keys.", oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string' }, maxItems: GRANTED_MANDATE_MAX_LIFE_EVENTS }], example: ['birth-of-a-child'] })
  @Validate(LifeEventsScope)
  lifeEvents: 'all' | string[];

  @ApiProperty({ enum: ['read', 'act'], description: '`read`: see the journeys; `act`: also start and cancel them, complete tasks and consent.' })
  @IsIn(['read', 'act'], { message: "access must be 'read' or 'act'" })
  access: MandateAccess;

  @ApiProperty({ example: '2027-01-01', description: 'When it starts (a date or date-time; today or later).' })
  @IsISO8601({ strict: true }, { message: 'validFrom must be a date (YYYY-MM-DD) or date-time' })
  validFrom: string;

  @ApiProperty({ example: '2028-01-01', description: 'When it ends: after the start, at most 5 years after it.' })
  @IsISO8601({ strict: true }, { message: 'validUntil must be a date (YYYY-MM-DD) or date-time' })
  validUntil: string;

  @ApiProperty({ minLength: 3, maxLength: 500, example: 'My accountant files for the company.' })
  @IsString()
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(500)
  reason: string;
}

export class RevokeMandateDto {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'We no longer work together.' })
  @IsString()
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(500)
  reason: string;
}
