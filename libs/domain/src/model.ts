/**
 * The definition model: what agencies register (service steps) and compose (life events),
 * and the journey state the workflow keeps. Pure data, serialisable as JSON, no I/O.
 */

export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Titles per language; nl is mandatory, the others fall back to nl. */
export type Translations = Partial<Record<Language, string>> & { nl: string };

export const STEP_KINDS = ['automatic', 'caseworker', 'citizen'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const VERSION_STATUSES = ['draft', 'published', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export const AUDIENCES = ['citizen', 'business'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Service norm as ISO-8601 durations, counted from the moment the step starts. */
export interface ServiceNorm {
  target: string;
  warn?: string;
  escalate?: string;
}

/** Retry policy for automatic steps; intervals are ISO-8601 durations. */
export interface RetryPolicy {
  maximumAttempts: number;
  initialInterval: string;
  backoffCoefficient: number;
  maximumInterval: string;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maximumAttempts: 5,
  initialInterval: 'PT1S',
  backoffCoefficient: 2,
  maximumInterval: 'PT1M',
};

/** A service step as an agency registers it (one version). */
export interface ServiceStepDefinition {
  agency: string;
  key: string;
  kind: StepKind;
  titles: Translations;
  /** For automatic steps: the agency endpoint called over HTTP (POST). */
  endpoint?: string;
  serviceNorm: ServiceNorm;
  retry?: RetryPolicy;
}

export interface ServiceStepVersion extends ServiceStepDefinition {
  version: number;
  status: VersionStatus;
}

export interface StepReference {
  agency: string;
  key: string;
  version: number;
}

/**
 * A condition over the journey's data in JSONLogic (https://jsonlogic.com): serialisable and
 * side-effect free. Variables are read from `{ data, subject, steps }`.
 */
export type Condition = unknown;

export interface LifeEventNode {
  /** Key of the node inside the life event (unique per life event). */
  key: string;
  step: StepReference;
  dependsOn?: string[];
  /** When present, the step runs only if the condition holds; otherwise it is skipped. */
  condition?: Condition;
  /** An optional step may be skipped by the citizen or fail without blocking the journey. */
  optional?: boolean;
}

export interface LifeEventDefinition {
  key: string;
  audience: Audience;
  titles: Translations;
  nodes: LifeEventNode[];
}

export interface LifeEventVersion extends LifeEventDefinition {
  version: number;
  status: VersionStatus;
}

/** What a journey runs: the life event with every referenced step version resolved and pinned. */
export interface LifeEventSnapshot {
  key: string;
  version: number;
  audience: Audience;
  titles: Translations;
  nodes: Array<LifeEventNode & { definition: ServiceStepDefinition & { version: number } }>;
}

export type SubjectType = 'person' | 'enterprise';
export interface Subject {
  type: SubjectType;
  /** National number (11 digits) for persons, enterprise number (10 digits) for enterprises. */
  id: string;
}

export const STEP_STATUSES = [
  'pending', // dependencies not done yet
  'running', // automatic call in progress
  'waiting', // task open for a caseworker or citizen
  'needs_attention', // automatic step failed after its retries: a caseworker retries or skips
  'completed',
  'skipped', // condition false, or skipped by a caseworker
  'cancelled',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const JOURNEY_STATUSES = ['running', 'needs_attention', 'completed', 'cancelled'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export type TaskOutcome = 'approve' | 'reject';

export interface StepOutcome {
  result?: 'approved' | 'rejected' | 'done';
  data?: Record<string, unknown>;
  comment?: string;
  by?: string;
  reason?: string;
}

export interface StepState {
  key: string;
  agency: string;
  kind: StepKind;
  status: StepStatus;
  startedAt?: string;
  dueAt?: string;
  warnAt?: string;
  escalateAt?: string;
  completedAt?: string;
  attempts: number;
  outcome?: StepOutcome;
  error?: string;
  warned?: boolean;
  escalated?: boolean;
}

export const TIMELINE_TYPES = [
  'journey.started',
  'journey.completed',
  'journey.cancelled',
  'journey.needs_attention',
  'step.started',
  'step.completed',
  'step.rejected',
  'step.skipped',
  'step.task_created',
  'step.needs_attention',
  'step.retried',
  'step.warning',
  'step.escalated',
  'step.cancelled',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export interface TimelineEvent {
  seq: number;
  at: string;
  type: TimelineType;
  step?: string;
  detail?: Record<string, unknown>;
}
