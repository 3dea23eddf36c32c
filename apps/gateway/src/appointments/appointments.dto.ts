import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsObject, IsOptional, ValidateNested } from 'class-validator';
import type { AppointmentSlot } from '@levensloop/domain';

export class SlotDto implements AppointmentSlot {
  @ApiProperty({ example: '2026-03-02T09:00:00+01:00', description: 'The start, as GET /tasks/{id}/slots lists it' }) @IsISO8601({ strict: true }) start: string;
  @ApiProperty({ example: '2026-03-02T09:30:00+01:00', description: 'The end, as listed' }) @IsISO8601({ strict: true }) end: string;
}

export class BookAppointmentDto {
  @ApiProperty({ type: SlotDto, description: 'One of the free slots listed' })
  @IsObject()
  @ValidateNested()
  @Type(() => SlotDto)
  slot: SlotDto;
}

export class SlotsQuery {
  @ApiPropertyOptional({ example: '2026-03-02', description: 'From (a date or instant; default now)' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ example: '2026-03-09', description: 'To (a date or instant; default the end of the booking window, at most 31 days after from)' }) @IsOptional() @IsISO8601() to?: string;
}

export class SlotsResponse {
  @ApiProperty({ description: 'Where the appointment takes place, per language' }) place: Record<string, string>;
  @ApiProperty({ example: 'PT30M' }) duration: string;
  @ApiProperty({ description: 'The period the slots were asked for' }) period: { from: string; to: string };
  @ApiPropertyOptional({ description: 'The booking held now, if any (move or cancel it)' }) booking?: { start: string; end: string; uid: string; sequence: number };
  @ApiProperty({ type: [SlotDto], description: 'Free slots, earliest first' }) slots: SlotDto[];
}

export class AppointmentResponse {
  @ApiProperty({ example: 'f1c0…' }) taskId: string;
  @ApiPropertyOptional({ description: 'The booking held now (absent after a cancel)' }) booking?: { start: string; end: string; uid: string; sequence: number };
  @ApiProperty({ description: 'Where it takes place, per language' }) place: Record<string, string>;
}
