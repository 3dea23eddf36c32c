import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class StatusCountsDto {
  @ApiProperty() running: number;
  @ApiProperty() needs_attention: number;
  @ApiProperty() completed: number;
  @ApiProperty() cancelled: number;
}

export class ThroughputDto {
  @ApiProperty({ description: 'Completed journeys measured' }) completed: number;
  @ApiPropertyOptional({ description: 'Median time from start to completion, in milliseconds' }) medianMs?: number;
  @ApiPropertyOptional({ description: '90th percentile of the time from start to completion, in milliseconds' }) p90Ms?: number;
}

export class LifeEventJourneyStatsDto {
  @ApiProperty({ example: 'starting-a-business' }) lifeEvent: string;
  @ApiProperty({ description: "The life event's title in the reader's language" }) title: string;
  @ApiProperty() journeys: number;
  @ApiProperty({ type: StatusCountsDto }) byStatus: StatusCountsDto;
  @ApiProperty({ type: ThroughputDto }) throughput: ThroughputDto;
}

export class JourneyStatsDto {
  @ApiProperty({ type: [LifeEventJourneyStatsDto] }) items: LifeEventJourneyStatsDto[];
  @ApiProperty({ type: StatusCountsDto }) byStatus: StatusCountsDto;
  @ApiProperty() journeys: number;
}

export class AgencyNormStatsDto {
  @ApiProperty({ example: 'municipality' }) agency: string;
  @ApiProperty({ description: "The agency's name in the reader's language" }) name: string;
  @ApiProperty({ description: 'Steps that started and so had a due date under their service norm' }) steps: number;
  @ApiProperty({ description: 'Of those, finished after their due date or still open past it' }) breached: number;
  @ApiProperty({ description: 'Still open past their due date' }) openOverdue: number;
  @ApiProperty({ description: 'Steps that reached the warning point of their norm' }) warned: number;
  @ApiProperty({ description: 'Steps that reached the escalation point of their norm' }) escalated: number;
  @ApiPropertyOptional({ description: 'breached / steps' }) breachRate?: number;
}

export class ServiceNormStatsDto {
  @ApiProperty({ type: [AgencyNormStatsDto] }) items: AgencyNormStatsDto[];
}

export class LifeEventAutomationDto {
  @ApiProperty() lifeEvent: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Steps completed' }) completedSteps: number;
  @ApiProperty({ description: 'Of those, done without a person: automatic calls and decisions the rule took alone' }) automated: number;
  @ApiPropertyOptional({ description: 'automated / completedSteps' }) automationRate?: number;
}

export class AutomationStatsDto {
  @ApiProperty({ type: [LifeEventAutomationDto] }) items: LifeEventAutomationDto[];
  @ApiProperty() completedSteps: number;
  @ApiProperty() automated: number;
  @ApiPropertyOptional() automationRate?: number;
}
