/**
 * Messages between the gateway, the worker and the journey workflow. Imported by workflow code,
 * so only @temporalio/workflow|common definitions and pure domain types may appear here.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RoutedStep } from './routing';
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type {
  DataRequirement,
  DecisionOutcome,
  DecisionRule,
  Translations,
  JourneyStatus,
  LifeEventSnapshot,
  StepOutcome,
  StepOutput,
  StepState,
  Subject,
  TimelineEvent,
  DocumentReference,
} from '@levensloop/domain';

export const JOURNEY_WORKFLOW_TYPE = 'journeyWorkflow';
export const DEFAULT_TASK_QUEUE = 'levensloop-journeys';

/** Search attributes registered on the Temporal namespace (see libs/runtime). */
export const SEARCH_ATTRIBUTES = {
  lifeEvent: defineSearchAttributeKey('LevensloopLifeEvent', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('LevensloopStatus', SearchAttributeType.KEYWORD),
  agencies: defineSearchAttributeKey('LevensloopAgencies', SearchAttributeType.KEYWORD_LIST),
  nextDue: defineSearchAttributeKey('LevensloopNextDue', SearchAttributeType.DATETIME),
  subject: defineSearchAttributeKey('LevensloopSubject', SearchAttributeType.KEYWORD),
} as const;

/**
 * The journey workflow's revision for journeys started now. Revision 1: the starter sets the
 * search attributes known at start (see `initialSearchAttributes`), so the first workflow task
 * upserts none of them, and the code paths that `patched()` guarded for older journeys are taken
 * without asking (a marker event each in every new history otherwise). Journeys without a
 * revision keep the old way, so their histories replay unchanged. A later change that only new
 * journeys need takes the next revision the same way; `patched()` stays for changes running
 * journeys must take too. Revision 2: reminders and delay notices come from the steps' timers.
 * Revision 3: a citizen's task opening after its reminder instant is reminded at once, and an
 * agency call that may outlast its step's due date races a timer for the delay notice.
 */
export const JOURNEY_REVISION = 3;

/** The agencies involved in a life event (a search attribute and a read-model column). */
export function journeyAgencies(snapshot: LifeEventSnapshot): string[] {
  // An agency that reviews objections against a decision is in the journey too (it sees it and its task).
  // So is the agency that decides appeals (objection.appeal.agency).
  return [
    ...new Set(
      snapshot.nodes.flatMap((n) => [
        n.definition.agency,
        ...(n.definition.objection?.reviewingAgency ? [n.definition.objection.reviewingAgency] : []),
        ...(n.definition.objection?.appeal?.agency ? [n.definition.objection.appeal.agency] : []),
      ]),
    ),
  ].sort();
}

/**
 * The search attributes a journey of revision 1 or later is started with. `subjectKey`: the
 * subject's keyed hash (`subjectSearchKey` of libs/temporal), never the national or enterprise
 * number itself: visibility is not encrypted.
 */
export function initialSearchAttributes(snapshot: LifeEventSnapshot, subjectKey: string): SearchAttributePair[] {
  return [
    { key: SEARCH_ATTRIBUTES.lifeEvent, value: snapshot.key },
    { key: SEARCH_ATTRIBUTES.agencies, value: journeyAgencies(snapshot) },
    { key: SEARCH_ATTRIBUTES.subject, value: subjectKey },
    { key: SEARCH_ATTRIBUTES.status, value: 'running' },
  ];
}

/** The state a journey carries across continue-as-new. */
export interface CarriedJourneyState {
  status: JourneyStatus;
  steps: Record<string, StepState>;
  /** Last timeline events (the full timeline lives in the read model). */
  timeline: TimelineEvent[];
  nextEventSeq: number;
  projectionSeq: number;
  projectedEventSeq: number;
  /** Events up to here are known to be in the read model (the timeline may be trimmed to them). */
  confirmedEventSeq?: number;
  /** The read model has the journey row (later projections need not carry the header). */
  headerConfirmed?: boolean;
  cancelReason?: string;
  /** The journey is being cancelled and its completed steps undone, in this order (see compensation.ts). */
  compensating?: {
    by: string;
    reason: string;
    order: string[];
    /** Agency calls under way at the cancel, let finish first (undone if they completed; see in-flight.ts). */
    finishing?: string[];
  };
  /** Answers the citizen gave per step (consents, values for missing fields); not projected. */
  answers?: Record<string, StepAnswers>;
  /** The journey had completed and was opened again (an objection, or an override that re-ran steps); `revised`: a decision changed. Not projected. */
  reopened?: { revised: boolean };
  /** Steps named by agency role, once routed: the agency and its pinned step version (see ./routing.ts). */
  routed?: Record<string, RoutedStep>;
}

export interface StepAnswers {
  consents?: Record<string, boolean>;
  provided?: Record<string, unknown>;
  by?: string;
}

export interface JourneyInput {
  journeyId: string;
  snapshot: LifeEventSnapshot;
  subject: Subject;
  /**
   * The subject search attribute's value, the keyed hash of the subject (set by the launcher; the
   * workflow cannot hash). Journeys started before it upserted the subject in clear.
   */
  subjectSearchKey?: string;
  data: Record<string, unknown>;
  startedBy: string;
  startedAt: string;
  /** The client's idempotency key (scoped), stored with the journey in the read model. */
  idempotencyKey: string;
  /** Set when the journey continues as new. */
  carried?: CarriedJourneyState;
  /** History length above which the journey continues as new (defaults to 5,000 events). */
  continueAsNewAfterEvents?: number;
  /** `JOURNEY_REVISION` when the journey started (absent for journeys started before revisions). */
  revision?: number;
  /**
   * How long before a citizen's task is due they are reminded (ISO duration, REMINDER_BEFORE, set
   * by the launcher; carried across continue-as-new with the input). Absent: no reminders.
   */
  reminderBefore?: string;
  /** For proactive journeys: the source event that started it (the read model keeps it). */
  sourceEvent?: { source: string; id: string; type: string };
}

export interface JourneyLiveState {
  journeyId: string;
  lifeEvent: { key: string; version: number };
  status: JourneyStatus;
  steps: StepState[];
  timeline: TimelineEvent[];
  cancelReason?: string;
}

export interface JourneyResult {
  journeyId: string;
  status: JourneyStatus;
  steps: Record<string, StepState>;
}

export interface CompleteTaskInput {
  nodeKey: string;
  outcome: 'approve' | 'reject';
  data?: Record<string, unknown>;
  comment?: string;
  by: string;
  /** Which of the step's tasks: its own work (default), a consent, missing data, information a caseworker asked (the answer in `comment`), or undoing the step (compensation). */
  purpose?: 'task' | 'consent' | 'data' | 'information' | 'compensation';
  /** For consent tasks: per field (`source/field`) whether the citizen consents. */
  consents?: Record<string, boolean>;
  /** For data tasks: per field (`source/field`) the value the citizen gives. */
  values?: Record<string, unknown>;
  /** The step's own task: the documents uploaded to it, as references (hash, key, type, size), never content. */
  documents?: DocumentReference[];
}

/** A caseworker claims or releases a step's own task (the claim lives in the step's state). */
export interface ClaimTaskInput {
  nodeKey: string;
  /** Only the step's own task ('task') is claimed, or the caseworker's task that undoes it ('compensation'). */
  purpose?: 'task' | 'compensation';
  by: string;
}

/** A source reported that a record changed (or was corrected): steps still to come fetch it again. */
export interface SourceEventNotice {
  source: string;
  eventId: string;
  type: string;
  kind: 'corrected' | 'changed';
  at: string;
}

/** A caseworker overrides an automatic decision (the gateway has recorded and audited it). */
export interface OverrideDecisionInput {
  nodeKey: string;
  outcome: 'grant' | 'deny';
  reason: string;
  by: string;
}

export interface ResolveAttentionInput {
  nodeKey: string;
  action: 'retry' | 'skip';
  reason?: string;
  by: string;
}

export interface CancelJourneyInput {
  reason: string;
  by: string;
}

export const completeTaskUpdate = defineUpdate<StepState, [CompleteTaskInput]>('completeTask');
export const claimTaskUpdate = defineUpdate<StepState, [ClaimTaskInput]>('claimTask');
export const releaseTaskUpdate = defineUpdate<StepState, [ClaimTaskInput]>('releaseTask');
export const resolveAttentionUpdate = defineUpdate<StepState, [ResolveAttentionInput]>('resolveAttention');
export const cancelJourneyUpdate = defineUpdate<JourneyStatus, [CancelJourneyInput]>('cancelJourney');
export const journeyStateQuery = defineQuery<JourneyLiveState>('state');
export const sourceEventSignal = defineSignal<[SourceEventNotice]>('sourceEvent');
export const overrideDecisionUpdate = defineUpdate<StepState, [OverrideDecisionInput]>('overrideDecision');

/** A supervisor moves a caseworker task to one caseworker (who holds it) or to a team's queue (the gateway has checked who asks). */
export interface ReassignTaskInput {
  nodeKey: string;
  caseworker?: string;
  team?: string;
  reason?: string;
  by: string;
}
export const reassignTaskUpdate = defineUpdate<StepState, [ReassignTaskInput]>('reassignTask');

/** What the workflow asks an agency endpoint to do. */
export interface AgencyCallInput {
  journeyId: string;
  nodeKey: string;
  agency: string;
  endpoint: string;
  idempotencyKey: string;
  subject: Subject;
  data: Record<string, unknown>;
  /** The journey's pending read-model changes, written before the call (saves a round of the workflow). */
  projection?: JourneyProjection;
  /**
   * The step declared data requirements: the activity sends the step's prepared fields (read from
   * the database, so personal data stays out of the workflow history) as `fields`.
   */
  withFields?: boolean;
  /** Set by the activity (never by the workflow): the fields sent to the agency. */
  fields?: Record<string, Record<string, unknown>>;
  /**
   * The step's declared outputs: the fields of the answer it keeps (none when absent, which is
   * also how calls of journeys started before outputs existed are treated).
   */
  outputs?: StepOutput[];
}

/** Prepares a step's declared data: records consents and citizen answers, fetches what sources hold. */
export interface PrepareStepDataInput {
  journeyId: string;
  nodeKey: string;
  agency: string;
  stepKey: string;
  subject: Subject;
  requirements: DataRequirement[];
  /** Fetch round of this step (0 first; a source event that says the record changed starts a new round). */
  round: number;
  /** Answers of a consent task: per field id (`source/field`), consent given or not. */
  consents?: Record<string, boolean>;
  /** Values the citizen gave for fields no source held (or whose consent was refused). */
  provided?: Record<string, unknown>;
  /** Who answered (the citizen or a mandate holder). */
  answeredBy?: string;
  /** Read every allowed field again, bypassing caches (a source said the record changed). */
  refresh?: boolean;
}

export interface PrepareStepDataResult {
  /** Consent-based fields with no answer from the citizen yet: ask first, fetch nothing. */
  consentNeeded: string[];
  /** Fields fetched from a source. */
  prefilled: string[];
  /** Fields to ask from the citizen: no source holds them, or consent was refused or withdrawn. */
  missing: string[];
}

export interface DecideInput {
  journeyId: string;
  nodeKey: string;
  agency: string;
  stepKey: string;
  stepVersion: number;
  subject: Subject;
  data: Record<string, unknown>;
  rule: DecisionRule;
}

export interface DecideResult {
  outcome: DecisionOutcome;
  branch: number;
  explanation: Translations;
}

export interface AgencyCallResult {
  status: number;
  /** The answer's declared outputs only. */
  body: Record<string, unknown>;
  /** Names of the answer's fields that were not declared, so not kept. */
  dropped?: string[];
  replayed: boolean;
  /** False when the carried projection could not be written; the workflow projects it again. */
  projected?: boolean;
}

/** What the read model needs to create the journey row: the first projection carries it (the projection alone writes journeys). */
export interface JourneyHeader {
  idempotencyKey: string;
  lifeEventKey: string;
  lifeEventVersion: number;
  title: Record<string, string>;
  agencies: string[];
  startedAt: string;
  startedBy: string;
  data: Record<string, unknown>;
  sourceEvent?: { source: string; id: string; type: string };
}

/**
 * The journey's header, from what it started with: the first projection carries it (and creates
 * the read-model row with it), and the start answer is made of the same.
 */
export function journeyHeader(input: JourneyInput): JourneyHeader {
  return {
    idempotencyKey: input.idempotencyKey,
    lifeEventKey: input.snapshot.key,
    lifeEventVersion: input.snapshot.version,
    title: input.snapshot.titles,
    agencies: journeyAgencies(input.snapshot),
    startedAt: input.startedAt,
    startedBy: input.startedBy,
    data: input.data,
    ...(input.sourceEvent ? { sourceEvent: input.sourceEvent } : {}),
  };
}

/** A full picture of the journey at projection sequence `seq`; applied only if newer. */
export interface JourneyProjection {
  journeyId: string;
  /** Sent with the first projection only. */
  header?: JourneyHeader;
  seq: number;
  status: JourneyStatus;
  nextDueAt?: string;
  completedAt?: string;
  cancelReason?: string;
  steps: StepState[];
  /** Timeline events not yet projected. */
  events: TimelineEvent[];
  subject: Subject;
  titles: Record<string, Record<string, string>>;
  /** A journey with nodes named by role: its agencies now (see ./routed-agencies.ts), taken as they are. */
  agencies?: string[];
}

/**
 * Undoes a completed step at its agency: a POST to the step's compensation endpoint, with what an
 * agency call carries (no projection rides along): the idempotency key is one per journey and step
 * (`<journey>/<node>/compensation`), so the agency undoes the step once; `data` is what the step
 * kept of the agency's answer (its declared outputs), so the agency knows what to undo.
 */
export type CompensationCallInput = Omit<AgencyCallInput, 'projection'>;

export interface CompensationCallResult {
  status: number;
  replayed: boolean;
}

/** The activity that undoes a completed step (registered with the journey's activities). */
export interface CompensationActivities {
  compensateStep(input: CompensationCallInput): Promise<CompensationCallResult>;
}

export interface JourneyActivities {
  callAgency(input: AgencyCallInput): Promise<AgencyCallResult>;
  projectJourney(projection: JourneyProjection): Promise<void>;
  prepareStepData(input: PrepareStepDataInput): Promise<PrepareStepDataResult>;
  decide(input: DecideInput): Promise<DecideResult>;
}

export type { StepOutcome };

export * from './source-event';
export * from './retention';
export * from './tracing';
export * from './legal-clock';
export * from './objections';
export * from './appeals';
export * from './routing';
export * from './routed-agencies';
export * from './appointments';
export * from './payments';
