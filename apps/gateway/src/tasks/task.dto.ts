import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class ListTasksQuery {
  @ApiPropertyOptional({ enum: ['open', 'mine', 'overdue', 'all', 'escalated'], default: 'open', description: "escalated: open tasks whose step passed its escalation point (a supervisor's view)" })
  @IsOptional()
  @IsIn(['open', 'mine', 'overdue', 'all', 'escalated'], { message: "view must be one of 'open', 'mine', 'overdue', 'all', 'escalated'" })
  view?: 'open' | 'mine' | 'overdue' | 'all' | 'escalated';
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

/** A supervisor moves a caseworker task to one caseworker or to a team's queue (exactly one of the two). */
export class ReassignTaskDto {
  @ApiPropertyOptional({ example: 'cw-groeipakket-2', description: "The caseworker (their token's subject) who gets the task; they hold it at once" })
  @ValidateIf((dto: ReassignTaskDto) => dto.team === undefined || dto.caseworker !== undefined)
  @IsString({ message: 'name the caseworker (caseworker) or the team (team) the task goes to' })
  @MinLength(1, { message: 'caseworker must not be empty' })
  @MaxLength(200)
  caseworker?: string;

  @ApiPropertyOptional({ example: 'intake', description: "The team whose queue the task goes to (unclaimed); lowercase letters, digits and hyphens" })
  @ValidateIf((dto: ReassignTaskDto) => dto.caseworker === undefined || dto.team !== undefined)
  @IsString({ message: 'name the caseworker (caseworker) or the team (team) the task goes to' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/, { message: 'team must be a team code: lowercase letters, digits and hyphens, 2 to 64 characters' })
  team?: string;

  @ApiPropertyOptional({ description: 'Why (kept in the audit log and the timeline)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
