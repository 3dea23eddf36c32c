import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { LanguageQuery, PageQuery } from './reading';

/** What came of a read: answered at once (granted, refused by the engine), or a register read's outcome. */
const ACCESS_OUTCOMES = ['granted', 'refused', 'refused-by-source', 'failed', 'requested', 'preview'] as const;
const OUTCOME_DESCRIPTION =
  "granted; refused (by the engine: not needed for the step); refused-by-source (the register refused the request); failed (the register could not answer); requested (logged before a register read whose outcome was never recorded, e.g. the engine stopped during the call)";

export class MyDataAccessQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only entries of this journey' })
  @IsOptional()
  @IsUUID('all', { message: 'journey must be a journey id (a UUID)' })
  journey?: string;

  @ApiPropertyOptional({ description: 'Only entries about this subject (yourself or someone you hold a mandate for)' })
  @IsOptional()
  @Matches(/^\d{10,11}$/, { message: 'subject must be a 10- or 11-digit number' })
  subject?: string;

  @ApiPropertyOptional({ enum: ACCESS_OUTCOMES, description: OUTCOME_DESCRIPTION })
  @IsOptional()
  @IsIn(ACCESS_OUTCOMES, { message: `outcome must be one of ${ACCESS_OUTCOMES.map((o) => `'${o}'`).join(', ')}` })
  outcome?: (typeof ACCESS_OUTCOMES)[number];
}

export class JourneyDataAccessQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ACCESS_OUTCOMES, description: OUTCOME_DESCRIPTION })
  @IsOptional()
  @IsIn(ACCESS_OUTCOMES, { message: `outcome must be one of ${ACCESS_OUTCOMES.map((o) => `'${o}'`).join(', ')}` })
  outcome?: (typeof ACCESS_OUTCOMES)[number];
}

export class DataAccessQuery extends MyDataAccessQuery {
  @ApiPropertyOptional({ description: 'Only entries by this agency' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agency?: string;
}

export class StepDataQuery extends LanguageQuery {
  @ApiProperty({ description: 'Comma-separated field ids (source/field) the step declared', example: 'national-register/birthDate,national-register/address.postalCode' })
  @IsString({ message: 'fields is required: a comma-separated list of source/field, e.g. national-register/birthDate' })
  @MaxLength(5000)
  fields: string;
}

/* The answers, for the OpenAPI document. */

class DataAccessSubjectResponse {
  @ApiProperty({ enum: ['person', 'enterprise'] }) type: string;
  @ApiProperty({ example: '85073003328' }) id: string;
  @ApiPropertyOptional({ enum: ['self', 'mandate'], description: "For citizens: whether it is the reader's own data or that of someone they represent" }) relation?: string;
  @ApiPropertyOptional({ type: [String], example: ['parent'] }) mandateKinds?: string[];
}

class DataAccessJourneyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ example: 'Birth of a child' }) title?: string;
}

class DataAccessStepResponse {
  @ApiPropertyOptional({ example: 'birth-grant', description: "The node's key in the life event" }) node?: string;
  @ApiPropertyOptional({ example: 'birth-grant', description: "The agency's step" }) key?: string;
  @ApiPropertyOptional({ example: 'Birth grant' }) title?: string;
}

class DataAccessAgencyResponse {
  @ApiProperty({ example: 'growth-package' }) code: string;
  @ApiProperty({ example: 'Growth package' }) name: string;
}

class DataAccessActorResponse {
  @ApiProperty({
    enum: ['step', 'caseworker', 'citizen', 'auditor'],
    description: "step: the engine fetched the data for the step; caseworker: a person read it; citizen: the subject or a representative saw it; auditor: an auditor read it (e.g. the journey's history, source temporal-history)",
  })
  kind: string;
  @ApiPropertyOptional({ example: 'cw-growth-1', description: 'Who read it, when a caseworker did' }) caseworker?: string;
}

class DataAccessSourceResponse {
  @ApiProperty({ example: 'national-register' }) key: string;
  @ApiProperty({ example: 'National register of persons' }) title: string;
}

class DataAccessFieldResponse {
  @ApiProperty({ example: 'national-register/birthDate' }) id: string;
  @ApiProperty({ example: 'birthDate' }) field: string;
  @ApiProperty({ example: 'Date of birth' }) title: string;
}

class LegalBasisExplainedResponse {
  @ApiProperty({ enum: ['law', 'deliberation', 'consent', 'none'] }) type: string;
  @ApiProperty({ example: 'Decreet Groeipakket van 27 april 2018, art. 8' }) reference: string;
  @ApiProperty({ example: 'A law allows this: Decreet Groeipakket van 27 april 2018, art. 8.' }) explanation: string;
}

export class DataAccessEntryResponse {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: DataAccessSubjectResponse, description: 'Whose data' }) subject: DataAccessSubjectResponse;
  @ApiPropertyOptional({ type: DataAccessJourneyResponse }) journey?: DataAccessJourneyResponse;
  @ApiPropertyOptional({ type: DataAccessStepResponse, description: 'The step the data was read for' }) step?: DataAccessStepResponse;
  @ApiPropertyOptional({ type: DataAccessAgencyResponse, description: 'The agency that read it' }) agency?: DataAccessAgencyResponse;
  @ApiProperty({ type: DataAccessActorResponse }) actor: DataAccessActorResponse;
  @ApiProperty({ type: DataAccessSourceResponse }) source: DataAccessSourceResponse;
  @ApiProperty({ type: [DataAccessFieldResponse], description: 'Which fields' }) fields: DataAccessFieldResponse[];
  @ApiPropertyOptional({ example: 'Establish the right to the birth grant', description: "Why, in the reader's language" }) purpose?: string;
  @ApiProperty({ type: LegalBasisExplainedResponse }) legalBasis: LegalBasisExplainedResponse;
  @ApiProperty({ enum: ACCESS_OUTCOMES, description: OUTCOME_DESCRIPTION }) outcome: string;
  @ApiPropertyOptional({ description: 'Why a read was refused or failed' }) reason?: string;
}

export class DataAccessPageResponse {
  @ApiProperty({ type: [DataAccessEntryResponse], description: 'Newest first' }) items: DataAccessEntryResponse[];
  @ApiPropertyOptional({ description: 'Pass as cursor for the next page; absent on the last page' }) nextCursor?: string;
}
