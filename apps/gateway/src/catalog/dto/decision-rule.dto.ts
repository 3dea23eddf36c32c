import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DECISION_OUTCOMES, type DecisionOutcome, type DecisionRule, type JsonLogic } from '@levensloop/domain';
import { JSON_LOGIC_SCHEMA, TextsDto } from './translations.dto';

/* Shapes only: the JSONLogic, the fields it reads and the placeholders are checked by the domain (422). */

const outcome = { message: `outcome must be one of ${DECISION_OUTCOMES.join(', ')}` };

export class DecisionOtherwiseDto {
  @ApiProperty({ enum: DECISION_OUTCOMES, example: 'refer', description: 'refer: a caseworker decides' })
  @IsIn(DECISION_OUTCOMES as unknown as string[], outcome)
  outcome: DecisionOutcome;

  @ApiProperty({
    type: TextsDto,
    example: { nl: 'Een medewerker bekijkt uw dossier.', en: 'A caseworker will look at your file.' },
    description: 'Shown to the citizen; placeholders as in the branches',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => TextsDto)
  explanation: TextsDto;
}

export class DecisionBranchDto {
  @ApiProperty({
    description: 'JSONLogic over { data, subject, fields }; fields.<source>.<field> reads a field the step declares',
    example: { '==': [{ var: 'fields.address-register.region' }, 'flanders'] },
    ...JSON_LOGIC_SCHEMA,
  })
  // A missing condition is reported by the domain with the rest of the rule (422).
  @IsOptional()
  when: JsonLogic;

  @ApiProperty({ enum: DECISION_OUTCOMES, example: 'grant' })
  @IsIn(DECISION_OUTCOMES as unknown as string[], outcome)
  outcome: DecisionOutcome;

  @ApiProperty({
    type: TextsDto,
    example: { nl: 'U krijgt het startbedrag: uw adres ligt in {fields.address-register.region}.', en: 'You receive the birth allowance: you live in {fields.address-register.region}.' },
    description: 'Shown to the citizen; {data.x}, {subject.id}, {subject.type} and {fields.<source>.<field>} are filled from the inputs',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => TextsDto)
  explanation: TextsDto;
}

export class DecisionRuleDto implements DecisionRule {
  @ApiProperty({ example: 'birth-grant', description: 'Stable id of the rule, lowercase kebab case; id + version name one rule within the agency' })
  @IsString()
  @MaxLength(64)
  id: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1, description: 'A changed rule is a new version' }) @IsInt() @Min(1) @Max(2_147_483_647) version: number;

  @ApiProperty({ type: [DecisionBranchDto], description: 'Tried in order; the first that holds gives the outcome' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => DecisionBranchDto)
  branches: DecisionBranchDto[];

  @ApiProperty({ type: DecisionOtherwiseDto, description: 'The outcome when no branch holds' })
  @IsObject()
  @ValidateNested()
  @Type(() => DecisionOtherwiseDto)
  otherwise: DecisionOtherwiseDto;
}
