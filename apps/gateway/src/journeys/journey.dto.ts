import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { JOURNEY_STATUSES, KEY_PATTERN, type JourneyStatus, type SubjectType } from '@levensloop/domain';

/** Query strings carry booleans as text; anything but true/false stays invalid. */
function toBoolean({ value }: { value: unknown }) {
  if (value === 'true' || value === true) return true;
  if (value === 'false' || value === false) return false;
  return value;
}

export class LifeEventRefDto {
  @ApiProperty({ example: 'starting-a-business' })
  @IsString()
  @Matches(KEY_PATTERN, { message: 'key must be 2 to 64 characters of lowercase kebab case, starting with a letter (e.g. starting-a-business)' })
  key: string;

  @ApiPropertyOptional({ description: 'A published version; the latest published one when omitted.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

@ValidatorConstraint({ name: 'subjectId' })
class SubjectIdMatchesType implements ValidatorConstraintInterface {
  validate(id: unknown, args: ValidationArguments) {
    const type = (args.object as SubjectDto).type;
    return typeof id === 'string' && (type === 'enterprise' ? /^\d{10}$/ : /^\d{11}$/).test(id);
  }
  defaultMessage(args: ValidationArguments) {
    return (args.object as SubjectDto).type === 'enterprise'
      ? 'an enterprise is identified by its 10-digit enterprise number'
      : 'a person is identified by their 11-digit national number';
  }
}

export class SubjectDto {
  @ApiProperty({ enum: ['person', 'enterprise'] })
  @IsIn(['person', 'enterprise'], { message: "type must be 'person' or 'enterprise'" })
  type: SubjectType;

  @ApiProperty({ description: 'National number (11 digits) or enterprise number (10 digits).', example: '85073003328' })
  @IsString()
  @Validate(SubjectIdMatchesType)
  id: string;
}

export class StartJourneyDto {
  @ApiProperty({ type: LifeEventRefDto })
  @ValidateNested()
  @Type(() => LifeEventRefDto)
  lifeEvent: LifeEventRefDto;

  @ApiProperty({ type: SubjectDto })
  @ValidateNested()
  @Type(() => SubjectDto)
  subject: SubjectDto;

  @ApiPropertyOptional({ description: 'Journey data that conditions can read (data.*).', example: { activity: { servesAlcohol: true } } })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      "Why the journey is started for someone else: required when a caseworker (for a life event in which their agency has a step) or a catalog admin starts it, not when citizens start their own; audited with who, which agency, which life event and whose journey.",
    example: 'The citizen asked at the counter to apply for the birth grant.',
    minLength: 3,
    maxLength: 2000,
  })
  @IsOptional()
  @IsString({ message: 'reason must say why the journey is started' })
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(2000)
  reason?: string;
}

export class ListJourneysQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) lifeEvent?: string;

  @ApiPropertyOptional({ enum: JOURNEY_STATUSES })
  @IsOptional()
  @IsIn(JOURNEY_STATUSES as unknown as string[])
  status?: JourneyStatus;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) agency?: string;

  @ApiPropertyOptional({ description: 'National or enterprise number' })
  @IsOptional()
  @Matches(/^\d{10,11}$/, { message: 'subject must be a 10- or 11-digit number' })
  subject?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'overdue must be true or false' }) overdue?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'needsAttention must be true or false' }) needsAttention?: boolean;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Requested by the citizen' })
  @IsString()
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(2000)
  reason: string;
}

