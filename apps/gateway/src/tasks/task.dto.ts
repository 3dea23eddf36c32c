import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class ListTasksQuery {
  @ApiPropertyOptional({ enum: ['open', 'mine', 'overdue', 'all'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'mine', 'overdue', 'all'], { message: "view must be one of 'open', 'mine', 'overdue', 'all'" })
  view?: 'open' | 'mine' | 'overdue' | 'all';
}

export class CompleteTaskDto {
  @ApiPropertyOptional({ enum: ['approve', 'reject'], description: "Required for a step's own task (purpose 'task')" })
  @IsOptional()
  @IsIn(['approve', 'reject'], { message: "outcome must be 'approve' or 'reject'" })
  outcome?: 'approve' | 'reject';

  @ApiPropertyOptional({ description: "Consent tasks: per asked field ('source/field') true (fetch it) or false (I give it myself)", example: { 'national-register/contact.email': true } })
  @IsOptional()
  @IsObject()
  consents?: Record<string, boolean>;

  @ApiPropertyOptional({ description: "Data tasks: per asked field ('source/field') the value", example: { 'national-register/contact.phone': '+32470000000' } })
  @IsOptional()
  @IsObject()
  values?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'What the step produces (read by later conditions as steps.<key>.outcome.data)' })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Required when rejecting: why. For an information task (purpose information): the information asked, as the answer.' })
  @ValidateIf((dto: CompleteTaskDto) => dto.outcome === 'reject' || dto.comment !== undefined)
  @IsString({ message: 'comment is required when rejecting: say why' })
  @MinLength(3, { message: 'comment must say why, in at least 3 characters' })
  @MaxLength(4000)
  comment?: string;
}
