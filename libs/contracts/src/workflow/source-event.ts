/**
 * The source-event workflow's messages: what the gateway starts it with, what its activities
 * plan and answer, and what it returns (the inbox row's outcome). Imported by workflow code.
 */
import type { Subject } from '@levensloop/domain';

export const SOURCE_EVENT_WORKFLOW_TYPE = 'sourceEventWorkflow';

/** One workflow per inbox row: a redelivered or recovered event maps to the same id. */
export const sourceEventWorkflowId = (source: string, eventId: string) => `source-event:${source}:${eventId}`;

/** The journey workflow's id for a journey id (the read model's key). */
export const journeyWorkflowId = (journeyId: string) => `journey-${journeyId}`;

export type SourceEventKind = 'start' | 'annul' | 'correct' | 'change';

/** The event is read from the inbox; what its type means comes from the gateway's list of types. */
export interface SourceEventInput {
  source: string;
  eventId: string;
  kind: SourceEventKind;
  /** For annulments: the registration type it voids, and how reasons name it ("birth registration"). */
  annuls?: { type: string; description: string };
  /** The annulment types that void a registration of this type (an annulment may come first). */
  annulledBy: string[];
}

/** An event as stored in the inbox and as trigger conditions see it (`event.data.x`). */
export interface StoredEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  data: Record<string, unknown>;
}

export interface MandateOutcome {
  holderId: string;
  subjectId: string;
  kind: string;
  action: 'granted' | 'renewed' | 'existed' | 'refused' | 'revoked';
  reason?: string;
}

export interface EventResult {
  started: Array<{ journeyId: string; lifeEvent: { key: string; version: number }; subject: Subject }>;
  cancelled: Array<{ journeyId: string; outcome: 'cancelled' | 'already-closed' }>;
  signalled: Array<{ journeyId: string; outcome: 'signalled' | 'closed' }>;
  /** Mandates granted, renewed (one that had ended, or covered less) or there already, refused because the register does not confirm the relation (with the reason), revoked. */
  mandates: MandateOutcome[];
  /** Why something did not happen (a condition that did not hold, an annulled registration, ...). */
  skipped: Array<{ lifeEvent?: string; reason: string }>;
}

/** What the inbox row records once the event is processed. */
export interface SourceEventOutcome {
  status: 'processed' | 'ignored' | 'failed';
  result: EventResult;
}

/** A mandate an event asks for, before the register has confirmed it. */
export interface MandateRequest {
  subject: Subject;
  holders: string[];
  kind: string;
  /** The scope the trigger gives: `act` unless it says `read`; its life events, or every one (null). */
  access: 'read' | 'act';
  lifeEvents: string[] | null;
  /** The journey the event starts (the register read is logged against it). */
  journeyId: string;
  lifeEvent: string;
  event: { source: string; id: string };
}

/** What the register said: whom it confirms (and until when the mandate runs), whom not and why. */
export interface MandateConfirmation {
  request: MandateRequest;
  confirmed: Array<{ holder: string; validUntil: string | null }>;
  refused: Array<{ holder: string; reason: string }>;
  /** The register that confirmed or refused. */
  register: string;
}

/** A journey a trigger starts. */
export interface PlannedJourney {
  journeyId: string;
  lifeEvent: { key: string; version: number };
  subject: Subject;
  data: Record<string, unknown>;
  mandates?: MandateRequest;
}

export interface SourceEventPlan {
  /** Set when the inbox row was processed already: its outcome stands. */
  done?: SourceEventOutcome;
  event: { source: string; id: string; type: string; subject?: string; time?: string };
  starts: PlannedJourney[];
  skipped: EventResult['skipped'];
}

export interface AnnulmentResult {
  cancelled: EventResult['cancelled'];
  mandates: MandateOutcome[];
  skipped: EventResult['skipped'];
}

export interface SourceEventActivities {
  /** Reads the event from the inbox and plans what its triggers start (reads only). */
  planSourceEvent(input: SourceEventInput): Promise<SourceEventPlan>;
  /** Asks the register whom of the declared holders it confirms (the read is in the access log). */
  confirmMandates(request: MandateRequest): Promise<MandateConfirmation>;
  /** Starts the journey through the journey launcher, and waits until the read model has it. */
  launchEventJourney(input: { event: SourceEventPlan['event']; journey: PlannedJourney }): Promise<void>;
  /** Grants what the register confirmed; every grant, renewal and refusal audited. */
  grantMandates(confirmation: MandateConfirmation): Promise<MandateOutcome[]>;
  /** Cancels the open journeys the annulled registration started (their own cancel path) and ends its mandates. */
  annulRegistration(input: { source: string; eventId: string; subject: string; annuls: { type: string; description: string } }): Promise<AnnulmentResult>;
  /** The subject's open journeys, oldest first. */
  openJourneysOf(subjectId: string): Promise<string[]>;
  /** Marks the inbox row (once) and answers what it records. */
  recordSourceEventOutcome(input: { source: string; eventId: string; result: EventResult }): Promise<SourceEventOutcome>;
}

/**
 * How an event's workflow is started, by the gateway that stored it and by the inbox sweep alike:
 * running, the same run (USE_EXISTING); closed, a new run only if the last one failed (a finished
 * one answers AlreadyStarted).
 */
export function sourceEventStart(input: SourceEventInput, taskQueue: string) {
  return {
    workflowId: sourceEventWorkflowId(input.source, input.eventId),
    taskQueue,
    args: [input] as [SourceEventInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' as const,
  };
}

/**
 * The sweep of the inbox: rows left `received` (a crash between storing and starting, an engine
 * outage) get their workflow started, or a finished workflow's outcome copied over. It runs once
 * per deployment, as the action of a Temporal Schedule the worker keeps (one per task queue).
 */
export const INBOX_SWEEP_WORKFLOW_TYPE = 'inboxSweepWorkflow';
export const inboxSweepScheduleId = (taskQueue: string) => `inbox-sweep:${taskQueue}`;

export interface InboxSweepInput {
  /** Rows younger than this are still being started by the gateway that stored them. */
  graceSeconds: number;
  /** At most this many rows per sweep (oldest first). */
  max: number;
}

export interface InboxSweepResult {
  /** Workflows started (or found running). */
  started: number;
  /** Outcomes of finished workflows copied into their rows. */
  recorded: number;
  /** Rows of a type no longer known, marked failed. */
  unknown: number;
}

export interface InboxSweepActivities {
  sweepInbox(input: InboxSweepInput): Promise<InboxSweepResult>;
}
