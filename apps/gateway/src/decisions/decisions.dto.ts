import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../data-access/reading';

export class OverrideDecisionDto {
  @ApiProperty({ enum: ['grant', 'deny'] })
  @IsIn(['grant', 'deny'], { message: "outcome must be 'grant' or 'deny'" })
  outcome: 'grant' | 'deny';

  @ApiProperty({ example: 'The birth certificate shows the child lives with the applicant.' })
  @IsString({ message: 'reason must say why the decision changes' })
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(2000)
  reason: string;
}

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'A target id (e.g. a consent id, or <journey>/<node> for a decision); a journey id also matches its decisions' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  target?: string;

  @ApiPropertyOptional({ example: 'decision' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  targetType?: string;

  @ApiPropertyOptional({ example: 'decision.overridden' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}
