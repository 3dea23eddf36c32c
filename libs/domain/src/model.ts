import type { ObjectionPolicy, ObjectionState, ObjectionTimelineType } from './objections';
import type { AppealState, AppealTimelineType } from './appeals';
import type { DocumentReference, DocumentRequirement } from './documents';
import type { InformationDueTimelineType } from './information-due';
import type { AppointmentSpec, AppointmentState, AppointmentTimelineType } from './appointments';
import type { PaymentSpec, PaymentState, PaymentTimelineType } from './payments';

/**
 * The definition model: what agencies register (service steps) and compose (life events),
 * and the journey state the workflow keeps. Pure data, serialisable as JSON, no I/O.
 */

export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Titles per language; nl is mandatory, the others fall back to nl. */
export type Translations = Partial<Record<Language, string>> & { nl: string };

/**
 * automatic: a call to an agency endpoint; caseworker / citizen: a task; decision: a versioned,
 * machine-readable rule evaluated by the engine (grant, deny, or refer to a caseworker);
 * appointment: the citizen books a time in the agency's calendar, a caseworker records it (appointments.ts);
 * payment: a fee the citizen pays at the payment provider (see payments.ts).
 */
export const STEP_KINDS = ['automatic', 'caseworker', 'citizen', 'decision', 'appointment', 'payment'] as const;
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
  /** The longest a caseworker may extend the term, once, with a reason (ISO-8601); absent: no extension. */
  maxExtension?: string;
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

export const LEGAL_BASIS_TYPES = ['law', 'deliberation', 'consent'] as const;
export type LegalBasisType = (typeof LEGAL_BASIS_TYPES)[number];

/** Why the engine may read a field: a law, a deliberation of the data protection authority, or the subject's consent. */
export interface LegalBasis {
  type: LegalBasisType;
  /** The text a citizen and an auditor can look up, e.g. "Decreet Groeipakket 27 april 2018, art. 8". */
  reference: string;
}

/**
 * A field a step needs, from an authentic source, about the journey's subject. The step receives
 * exactly its declared fields; what no source holds is asked from the citizen.
 */
export interface DataRequirement {
  /** Source key, e.g. `national-register` (see the source catalog). */
  source: string;
  /** Field path in that source, e.g. `birthDate` or `address.postalCode`. */
  field: string;
  /** Why the step needs it, in plain language per language (shown in the access log). */
  purpose: Translations;
  legalBasis: LegalBasis;
}

export const DECISION_OUTCOMES = ['grant', 'deny', 'refer'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/**
 * A machine-readable rule of a decision step. Its branches are JSONLogic over
 * `{ data, subject, fields }` (fields: `fields.<source>.<field path>`, the step's declared data),
 * tried in order; the first that holds gives the outcome, else `otherwise`. Explanations are
 * per language, with `{source.field}` / `{data.x}` placeholders filled from the inputs.
 */
export interface DecisionRule {
  /** Stable identifier of the rule, e.g. `groeipakket-startbedrag`. */
  id: string;
  /** Version of the rule; a changed rule is a new version (and a new step version). */
  version: number;
  branches: Array<{ when: JsonLogic; outcome: DecisionOutcome; explanation: Translations }>;
  otherwise: { outcome: DecisionOutcome; explanation: Translations };
}

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
  /** The data the step needs from authentic sources (once-only). */
  dataRequirements?: DataRequirement[];
  /** For decision steps: the rule the engine evaluates. */
  rule?: DecisionRule;
  /**
   * For automatic steps: the fields of the agency's answer the step keeps (its outcome data, read
   * by later conditions as `steps.<key>.outcome.data.<name>`). Every other field is dropped; a
   * step that declares none keeps none.
   */
  outputs?: StepOutput[];
  /**
   * For caseworker and decision steps: the team of the agency whose queue the step's task goes to
   * (a team code, see `teams.ts`); without one the task is for every caseworker of the agency.
   */
  team?: string;
  /**
   * What undoes the step once it completed, when its journey is cancelled or its triggering event
   * annulled: a call to an agency endpoint (the same rules as `endpoint`), or a caseworker task at
   * the step's agency. See ./compensation.ts.
   */
  compensation?: StepCompensation;
  /** For decision steps: the term within which the subject may object, and who reviews (see objections.ts). */
  objection?: ObjectionPolicy;
  /** For caseworker and citizen steps: the documents the task asks to upload (see documents.ts). */
  documents?: DocumentRequirement[];
  /** For appointment steps: the agency's calendar (at `endpoint`), the duration, place, booking window and reminder (see appointments.ts). */
  appointment?: AppointmentSpec;
  /** For payment steps: the amount, what it is for, how long a link is valid and when to remind (see payments.ts). */
  payment?: PaymentSpec;
}

/** What undoes a completed step: exactly one of an endpoint or a caseworker task. */
export interface StepCompensation {
  /** The agency endpoint the engine POSTs to, once per journey and step (an idempotency key). */
  endpoint?: string;
  /** A caseworker task at the step's agency; `titles` says what to undo (the step's titles otherwise). */
  task?: { titles?: Translations };
}

export const OUTPUT_TYPES = ['string', 'number', 'boolean', 'object', 'array'] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

/** A field of an automatic step's answer that the step keeps, optionally with its JSON type. */
export interface StepOutput {
  name: string;
  type?: OutputType;
}

export interface ServiceStepVersion extends ServiceStepDefinition {
  version: number;
  status: VersionStatus;
}

export interface StepReference {
  agency: string;
  key: string;
  version: number;
  /**
   * Set when the node names its agency by role (see ./agency-roles.ts): `agency` is then the
   * role's answering agency and `version` 0, and the journey routes the step when it starts.
   */
  agencyRole?: string;
}

/**
 * A condition over the journey's data in JSONLogic (https://jsonlogic.com): serialisable and
 * side-effect free. Variables are read from `{ data, subject, steps }`.
 */
export type Condition = unknown;
/** A JSONLogic expression inside a definition TypeORM writes as JSONB (its own type keeps TypeORM's deep types finite). */
export type JsonLogic = string | number | boolean | null | object;

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

/**
 * A source event that starts the life event proactively (CloudEvents `type`), optionally only
 * when a JSONLogic condition over `{ event }` holds (the CloudEvent's `data` as `event.data`).
 * `subject` names where the journey's subject is in the event: a JSON path into `data`, e.g.
 * `child.nationalNumber`, of a person (national number) or enterprise (enterprise number).
 */
export interface LifeEventTrigger {
  eventType: string;
  subject: { type: SubjectType; path: string };
  condition?: Condition;
  /** Fields of `data` copied into the journey's data, e.g. { "birthDate": "child.birthDate" }. */
  data?: Record<string, string>;
  /**
   * Who may act for the subject, from the event: a path to a list of national numbers (e.g.
   * `parents`), each of whom gets a mandate of this kind (e.g. `parent`) once the register
   * confirms the relation; its scope: `access` (`act`, the default, or `read`) and the life
   * events it covers (`lifeEvents`; default every one).
   */
  mandates?: { path: string; kind: string; access?: 'read' | 'act'; lifeEvents?: string[] };
}

export interface LifeEventDefinition {
  key: string;
  audience: Audience;
  titles: Translations;
  nodes: LifeEventNode[];
  /** Source events that start this life event by themselves (proactive journeys). */
  triggers?: LifeEventTrigger[];
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
  triggers?: LifeEventTrigger[];
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

/** compensating: cancelled, its completed steps being undone (see ./compensation.ts), then cancelled. */
export const JOURNEY_STATUSES = ['running', 'needs_attention', 'completed', 'cancelled', 'compensating'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export type TaskOutcome = 'approve' | 'reject';

export interface StepOutcome {
  result?: 'approved' | 'rejected' | 'done';
  data?: Record<string, unknown>;
  comment?: string;
  by?: string;
  reason?: string;
  /** Automatic steps: fields of the agency's answer that were not declared as outputs and so not kept (names only). */
  dropped?: string[];
  /** Documents uploaded to the step's task: references only (hash, key, type, size), never content. */
  documents?: DocumentReference[];
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
  /** The citizen was reminded of the step's task before its due date (once per step). */
  reminded?: boolean;
  /** The citizen was told the agency's step passed its due date, with a new date (once per step). */
  delayNoticed?: boolean;
  /** While `waiting`: what the step waits for (a consent or missing data from the citizen, or its own task). */
  waitingFor?: WaitingFor;
  /** Fields of the step's data requirements still to be given by the citizen (`source/field`). */
  asked?: string[];
  /** Fields whose consent is asked (`source/field`). */
  consentAsked?: string[];
  /** The step's declared data is prepared (fetched, consented, asked); set once per fetch round. */
  dataReady?: boolean;
  /** Fetch round: a source event saying the record changed starts a new one. */
  dataRound?: number;
  /** A source changed the record while the step was still preparing its data: fetch it all again. */
  staleData?: boolean;
  /** For decision steps: the outcome of the rule (and of a caseworker after a referral). */
  decision?: { outcome: DecisionOutcome; ruleId: string; ruleVersion: number; overridden?: boolean };
  /**
   * Who holds the step's own (caseworker) task: set by a claim, null once released. Absent when
   * it was never claimed through the workflow (the read model then keeps the task's claim as it is).
   */
  claimedBy?: string | null;
  /** What the task row keeps of the citizen's consent and data answers (see taskAnswerSummary). */
  answered?: Partial<Record<'consent' | 'data' | 'information', TaskAnswerRecord>>;
  /** The team queue the step's caseworker task is in: the step's declared team, or where a supervisor reassigned it. */
  team?: string;
  /** The legal clock of the step's term: suspended while waiting on the citizen, extended once (see legal-clock.ts). */
  clock?: LegalClock;
  /** A caseworker's request for information the citizen answers (the step waits for 'information' while it is open). */
  information?: InformationRequest;
  /** Set once the step is to be undone (its journey cancelled after it completed). */
  compensation?: CompensationState;
  /** For decision steps: the objection against the decision, while filed and once reviewed. */
  objection?: ObjectionState;
  /** For decision steps: the appeal after an upheld objection, while filed and once decided (appeals.ts). */
  appeal?: AppealState;
  /** For decision steps: caseworkers who decided a referral or overrode the decision (four eyes). */
  decidedBy?: string[];
  /** How often the step was started again because a decision it depends on changed. */
  reruns?: number;
  /** For appointment steps: the booking, its reminder and the caseworker's record (appointments.ts). */
  appointment?: AppointmentState;
  /** For payment steps: the current payment at the provider (see payments.ts). */
  payment?: PaymentState;
}

/** A step's legal clock: when it was suspended (while it is), how long in all, and its one extension. */
export interface LegalClock {
  /** Set while the clock is suspended: since when, and why. */
  suspendedAt?: string;
  suspendedFor?: 'consent' | 'data' | 'information';
  /** Milliseconds the clock stood still in all (the deadlines moved by as much). */
  suspendedMs?: number;
  /** The one extension of the term. */
  extension?: { duration: string; reason: string; by: string; at: string };
}

/** What a caseworker asked the citizen, by when; answered once the citizen gave it. */
export interface InformationRequest {
  question: string;
  dueAt: string;
  by: string;
  askedAt: string;
  answeredAt?: string;
  /** The timers of its due date run (15F): the reminder and the lapse; absent on requests made before. */
  followed?: boolean;
  /** When the citizen was reminded of it. */
  remindedAt?: string;
  /** Its due date passed without an answer: the caseworker goes on without it. */
  lapsedAt?: string;
}

export const COMPENSATION_STATUSES = ['pending', 'running', 'waiting', 'needs_attention', 'done', 'given_up'] as const;
export type CompensationStatus = (typeof COMPENSATION_STATUSES)[number];

/** How far undoing a completed step is: its call or caseworker task, and who ended it. */
export interface CompensationState {
  status: CompensationStatus;
  /** How it is undone: a call to the compensation endpoint, a caseworker task, or (payment steps) a refund at the provider. */
  by: 'endpoint' | 'task' | 'refund';
  /** The last failure of the call, while it needs attention. */
  error?: string;
  /** Who did the task, or gave up (with the reason). */
  actor?: string;
  reason?: string;
  comment?: string;
  /** Who holds the compensation task (caseworker claim). */
  claimedBy?: string | null;
}

/** An answer to a consent or data task, as its task row keeps it: who gave it and its summary. */
export interface TaskAnswerRecord {
  by: string;
  data?: Record<string, unknown>;
  comment?: string;
}

export const WAITING_FOR = ['consent', 'data', 'task', 'information', 'review', 'appeal', 'appointment', 'payment'] as const;
export type WaitingFor = (typeof WAITING_FOR)[number];

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
  'step.consent_requested',
  'step.data_requested',
  'step.data_prefilled',
  'step.consent_answered',
  'step.data_provided',
  'step.decided',
  'step.decision_overridden',
  'journey.source_event',
  'step.reminder',
  'step.delayed',
  'step.reassigned',
  'step.clock_suspended',
  'step.clock_resumed',
  'step.term_extended',
  'step.information_requested',
  'step.information_provided',
  'journey.compensating',
  'step.compensating',
  'step.compensation_task_created',
  'step.compensated',
  'step.compensation_needs_attention',
  'step.compensation_retried',
  'step.compensation_given_up',
  'step.routed',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number] | ObjectionTimelineType | AppealTimelineType | InformationDueTimelineType | AppointmentTimelineType | PaymentTimelineType;

export interface TimelineEvent {
  seq: number;
  at: string;
  type: TimelineType;
  step?: string;
  detail?: Record<string, unknown>;
}
