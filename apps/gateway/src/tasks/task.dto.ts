import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class ListTasksQuery {
  @ApiPropertyOptional({ enum: ['open', 'mine', 'overdue', 'all'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'mine', 'overdue', 'all'], { message: "view must be one of 'open', 'mine', 'overdue', 'all'" })
  view?: 'open' | 'mine' | 'overdue' | 'all';
}

export class CompleteTaskDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: "outcome must be 'approve' or 'reject'" })
  outcome: 'approve' | 'reject';

  @ApiPropertyOptional({ description: 'What the step produces (read by later conditions as steps.<key>.outcome.data)' })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Required when rejecting: why.' })
  @ValidateIf((dto: CompleteTaskDto) => dto.outcome === 'reject' || dto.comment !== undefined)
  @IsString({ message: 'comment is required when rejecting: say why' })
  @MinLength(3, { message: 'comment must say why, in at least 3 characters' })
  @MaxLength(4000)
  comment?: string;
}
