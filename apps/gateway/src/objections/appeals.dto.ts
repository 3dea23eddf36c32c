import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { APPEAL_VERDICTS, type AppealVerdict } from '@levensloop/domain';
import { ReviewExplanationDto } from './objections.dto';

export class FileAppealDto {
  @ApiProperty({ example: 'The review did not look at the severance pay in my income.', description: 'Why the decision is still wrong after the objection' })
  @IsString({ message: 'reason must say why the decision is wrong' })
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(4000)
  reason: string;
}

export class DecideAppealDto {
  @ApiProperty({ enum: APPEAL_VERDICTS, description: 'uphold: the decision stands; grant or deny: the decision is revised to that outcome' })
  @IsIn(APPEAL_VERDICTS as unknown as string[], { message: `verdict must be one of ${APPEAL_VERDICTS.join(', ')}` })
  verdict: AppealVerdict;

  @ApiProperty({ type: ReviewExplanationDto, example: { nl: 'De eenmalige vergoeding telt niet mee.' }, description: 'Why, for the citizen: in their language at least' })
  @IsObject({ message: 'explanation must be an object with a text per language, e.g. { "nl": "…" }' })
  @ValidateNested()
  @Type(() => ReviewExplanationDto)
  explanation: ReviewExplanationDto;
}
