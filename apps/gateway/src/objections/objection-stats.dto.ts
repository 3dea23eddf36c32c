import { ApiProperty } from '@nestjs/swagger';

/** A decision rule as the decision recorded it. */
export class RuleRefDto {
  @ApiProperty({ example: 'renovation-premium' }) id: string;
  @ApiProperty({ example: 1 }) version: number;
}

/** The two stages of legal protection against one rule version's decisions: objection, then appeal. */
export class RuleObjectionStatsDto {
  @ApiProperty({ type: RuleRefDto }) rule: RuleRefDto;
  @ApiProperty({ description: 'Objections filed against decisions of this rule version' }) objections: number;
  @ApiProperty({ description: 'Of those, still waiting for their review' }) open: number;
  @ApiProperty({ description: 'Of those, reviewed with the decision standing' }) upheld: number;
  @ApiProperty({ description: 'Of those, reviewed with the decision changed' }) revised: number;
  @ApiProperty({ description: 'Appeals filed after an upheld objection (the second stage)' }) appeals: number;
  @ApiProperty({ description: 'Of those, decided with the decision changed' }) appealsRevised: number;
}

export class ObjectionStatsDto {
  @ApiProperty({ type: [RuleObjectionStatsDto], description: 'Per rule id and version, ordered by both' }) items: RuleObjectionStatsDto[];
}
