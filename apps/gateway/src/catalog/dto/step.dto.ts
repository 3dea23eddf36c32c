import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { OUTPUT_TYPES, STEP_KINDS, VERSION_STATUSES, type AppealPolicy, type ObjectionPolicy, type OutputType, type RetryPolicy, type ServiceNorm, type StepCompensation, type StepKind, type StepOutput, type VersionStatus } from '@levensloop/domain';
import type { StepDraftInput } from '@levensloop/catalog';
import { DataRequirementDto } from './data-requirement.dto';
import { DecisionRuleDto } from './decision-rule.dto';
import { DocumentRequirementDto } from './document-requirement.dto';
import { AppointmentSpecDto } from './appointment-spec.dto';
import { PaymentSpecDto } from './payment.dto';
import { TranslationsDto } from './translations.dto';
import { VersionInfoDto } from './version-info.dto';

/* Types and shapes only: durations, URLs and keys are checked by the domain validation (422). */

export class ServiceNormDto implements ServiceNorm {
  @ApiProperty({ example: 'P5D', description: 'ISO-8601 duration from the start of the step: the norm' }) @IsString() @MaxLength(64) target: string;
  @ApiPropertyOptional({ example: 'P3D', description: 'When to warn the agency (before escalate)' }) @IsOptional() @IsString() @MaxLength(64) warn?: string;
  @ApiPropertyOptional({ example: 'P10D', description: 'When to escalate' }) @IsOptional() @IsString() @MaxLength(64) escalate?: string;
  @ApiPropertyOptional({ example: 'P30D', description: 'The longest a caseworker may extend the term, once, with a reason; absent: no extension' }) @IsOptional() @IsString() @MaxLength(64) maxExtension?: string;
}

export class RetryPolicyDto implements RetryPolicy {
  @ApiProperty({ example: 5, minimum: 1, maximum: 100 }) @IsInt() maximumAttempts: number;
  @ApiProperty({ example: 'PT1S' }) @IsString() @MaxLength(64) initialInterval: string;
  @ApiProperty({ example: 2, minimum: 1 }) @IsNumber({ allowNaN: false, allowInfinity: false }) backoffCoefficient: number;
  @ApiProperty({ example: 'PT1M' }) @IsString() @MaxLength(64) maximumInterval: string;
}

export class StepOutputDto implements StepOutput {
  @ApiProperty({ example: 'enterpriseNumber', description: "A top-level field of the agency's answer" }) @IsString() @MaxLength(64) name: string;
  @ApiPropertyOptional({ enum: OUTPUT_TYPES, description: 'Its JSON type; an answer with another type is a failed attempt' })
  @IsOptional()
  @IsIn(OUTPUT_TYPES as unknown as string[], { message: `type must be one of ${OUTPUT_TYPES.join(', ')}` })
  type?: OutputType;
}

export class CompensationTaskDto {
  @ApiPropertyOptional({ type: TranslationsDto, description: 'What the caseworker undoes (the step titles otherwise)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationsDto)
  titles?: TranslationsDto;
}

/** Exactly one of the two (checked by the domain validation, 422). */
export class CompensationDto implements StepCompensation {
  @ApiPropertyOptional({ description: 'The agency endpoint the engine POSTs to, once per journey and step (Idempotency-Key); the same rules as endpoint', example: 'https://agency.example/api/register-enterprise/undo' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  endpoint?: string;

  @ApiPropertyOptional({ type: CompensationTaskDto, description: "A caseworker task at the step's agency" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CompensationTaskDto)
  task?: CompensationTaskDto;
}

export class AppealPolicyDto implements AppealPolicy {
  @ApiProperty({ example: 'P30D', description: "ISO-8601 term from the objection's review within which an upheld decision may be appealed" }) @IsString() @MaxLength(64) term: string;
  @ApiPropertyOptional({ example: 'appeals-board', description: "The agency whose caseworkers decide an appeal (default: the objection's reviewing agency)" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agency?: string;
}

export class ObjectionPolicyDto implements ObjectionPolicy {
  @ApiProperty({ example: 'P30D', description: "ISO-8601 term from the decision's completion within which the subject may object" }) @IsString() @MaxLength(64) term: string;
  @ApiPropertyOptional({ example: 'groeipakket', description: 'The agency whose caseworkers review an objection (default: the deciding agency)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reviewingAgency?: string;

  @ApiPropertyOptional({ type: AppealPolicyDto, description: 'A second stage after an upheld objection: its term and the agency that decides' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AppealPolicyDto)
  appeal?: AppealPolicyDto;
}

export class StepDefinitionDto implements StepDraftInput {
  @ApiPropertyOptional({ example: 'enterprise-counter', description: 'Optional; must equal the agency in the path' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agency?: string;

  @ApiProperty({ example: 'register-enterprise', description: 'Lowercase kebab case, 2 to 64 characters' }) @IsString() @MaxLength(64) key: string;

  @ApiProperty({ enum: STEP_KINDS })
  @IsIn(STEP_KINDS as unknown as string[], { message: `kind must be one of ${STEP_KINDS.join(', ')}` })
  kind: StepKind;

  @ApiProperty({ type: TranslationsDto }) @IsObject() @ValidateNested() @Type(() => TranslationsDto) titles: TranslationsDto;

  @ApiPropertyOptional({ description: 'Automatic steps: the agency endpoint the engine POSTs to; appointment steps: the calendar service of the agency', example: 'https://agency.example/api/register-enterprise' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  endpoint?: string;

  @ApiProperty({ type: ServiceNormDto }) @IsObject() @ValidateNested() @Type(() => ServiceNormDto) serviceNorm: ServiceNormDto;

  @ApiPropertyOptional({ type: RetryPolicyDto, description: 'Automatic steps only' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryPolicyDto)
  retry?: RetryPolicyDto;

  // The domain gives the real limit (100); this only bounds the work of validation.
  @ApiPropertyOptional({ type: [DataRequirementDto], description: 'The fields the step needs from authentic sources (GET /sources); it receives exactly these' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => DataRequirementDto)
  dataRequirements?: DataRequirementDto[];

  @ApiPropertyOptional({ type: DecisionRuleDto, description: 'Decision steps only: the rule the engine evaluates' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DecisionRuleDto)
  rule?: DecisionRuleDto;

  @ApiPropertyOptional({
    type: [StepOutputDto],
    description:
      "Automatic steps only: the fields of the agency's answer the step keeps (later conditions read them as steps.<key>.outcome.data.<name>); every other field is dropped, and a step without outputs keeps none",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => StepOutputDto)
  outputs?: StepOutputDto[];

  @ApiPropertyOptional({ example: 'intake', description: "Caseworker and decision steps only: the team of the agency whose queue the step's task goes to (lowercase letters, digits, hyphens); without one, every caseworker of the agency sees it" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  team?: string;

  @ApiPropertyOptional({
    type: CompensationDto,
    description: 'What undoes the step once it completed, when its journey is cancelled or its triggering event annulled: an endpoint to call, or a caseworker task',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CompensationDto)
  compensation?: CompensationDto;

  @ApiPropertyOptional({ type: ObjectionPolicyDto, description: 'Decision steps only: the term to object to the decision, and who reviews an objection' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ObjectionPolicyDto)
  objection?: ObjectionPolicyDto;

  @ApiPropertyOptional({ type: [DocumentRequirementDto], description: 'Caseworker and citizen steps only: the documents the task asks to upload (POST /tasks/{id}/documents)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DocumentRequirementDto)
  documents?: DocumentRequirementDto[];

  @ApiPropertyOptional({ type: AppointmentSpecDto, description: "Appointment steps only (required there): the agency's calendar at `endpoint`, the appointment's duration and place, the booking window and the reminder" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AppointmentSpecDto)
  appointment?: AppointmentSpecDto;
  @ApiPropertyOptional({ type: PaymentSpecDto, description: 'Payment steps only (and required there): the amount, what it is for, how long a link is valid and when to remind' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PaymentSpecDto)
  payment?: PaymentSpecDto;
}

export class StepVersionResponse extends IntersectionType(OmitType(StepDefinitionDto, ['agency'] as const), VersionInfoDto) {
  @ApiProperty({ example: 'enterprise-counter' }) agency: string;
}

export class StepVersionsQuery {
  @ApiPropertyOptional({ enum: VERSION_STATUSES, description: 'Only versions in this status' })
  @IsOptional()
  @IsIn(VERSION_STATUSES as unknown as string[], { message: `status must be one of ${VERSION_STATUSES.join(', ')}` })
  status?: VersionStatus;
}
