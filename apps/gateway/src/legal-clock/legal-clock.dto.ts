import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class RequestInformationDto {
  @ApiProperty({ example: 'Please send the lease contract of your new address.', description: 'What is asked of the citizen, in plain language (shown to them as it is written)' })
  @IsString({ message: 'question must say what information is asked' })
  @MinLength(3, { message: 'question must say what is asked, in at least 3 characters' })
  @MaxLength(2000)
  question: string;

  @ApiProperty({ example: '2027-01-31T23:59:00Z', description: 'By when the citizen is asked to answer (an ISO-8601 instant in the future)' })
  @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO-8601 instant such as 2027-01-31T23:59:00Z' })
  dueAt: string;
}

export class ExtendTermDto {
  @ApiProperty({ example: 'P14D', description: "How much longer the step's term runs (an ISO-8601 duration, at most the step's serviceNorm.maxExtension); a term is extended once" })
  @IsString({ message: 'extension must be an ISO-8601 duration such as P14D' })
  @Matches(/^P(?!$)/, { message: 'extension must be an ISO-8601 duration such as P14D' })
  @MaxLength(64)
  extension: string;

  @ApiProperty({ example: 'The expert opinion on the renovation takes longer than planned.', description: 'Why the term is extended (told to the citizen)' })
  @IsString({ message: 'reason must say why the term is extended' })
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(2000)
  reason: string;
}
