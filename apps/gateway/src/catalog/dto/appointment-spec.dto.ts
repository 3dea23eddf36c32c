import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { AppointmentSpec } from '@levensloop/domain';
import { TranslationsDto } from './translations.dto';

/* Types and shapes only: the calendar id, durations and the window are checked by the domain validation (422). */
export class AppointmentSpecDto implements AppointmentSpec {
  @ApiProperty({ example: 'counter-leuven', description: "The agency's calendar id at the step's endpoint (its calendar service)" }) @IsString() @MaxLength(64) calendar: string;
  @ApiProperty({ example: 'PT30M', description: 'How long the appointment takes (ISO-8601, 5 minutes to 8 hours)' }) @IsString() @MaxLength(64) duration: string;

  @ApiProperty({ type: TranslationsDto, description: "Where it takes place, per language (nl required): a counter's address, or \"at your home\" for a home visit" })
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationsDto)
  place: TranslationsDto;

  @ApiProperty({ example: 'P14D', description: "Within how long from the step's start the appointment takes place (ISO-8601): the free slots offered" }) @IsString() @MaxLength(64) bookWithin: string;
  @ApiProperty({ example: 'P1D', description: 'How long before the appointment the citizen is reminded (ISO-8601, shorter than bookWithin)' }) @IsString() @MaxLength(64) reminderBefore: string;
}
