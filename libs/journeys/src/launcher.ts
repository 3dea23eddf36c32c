import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  initialSearchAttributes,
  JOURNEY_REVISION,
  JOURNEY_WORKFLOW_TYPE,
  journeyWorkflowId,
  type JourneyInput,
} from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot, Subject } from '@levensloop/domain';
import type { JourneyReadModel, JourneyRow } from '@levensloop/persistence';

/** What a journey starts with, whoever starts it (a person over HTTP, or a source event). */
export interface JourneyLaunch {
  journeyId: string;
  /** Unique per journey (scoped by who supplied it); stored with the read-model row. */
  idempotencyKey: string;
  snapshot: LifeEventSnapshot;
  subject: Subject;
  data: Record<string, unknown>;
  startedBy: string;
  /** For proactive journeys: the source event that started it. */
  sourceEvent?: { source: string; id: string; type: string };
}

/** Temporal did not accept the start (unreachable, overloaded): nothing was started. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

/** A UUID derived from a scoped key (the caller and their idempotency key, or a source event): one request, one journey. */
export function journeyIdFor(scopedKey: string): string {
  const h = createHash('sha256').update(scopedKey).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The one way journeys start, for `POST /journeys` and for source events alike: the snapshot is
 * pinned in the workflow's input, the workflow id comes from the journey id (so a start is
 * idempotent, also when two race) and the search attributes are set at start. Authorisation is
 * the caller's. The workflow's first projection writes the read model; `launch` waits for it,
 * so whoever started a journey reads it back at once.
 */
export class JourneyLauncher {
  /** `reminderBefore`: REMINDER_BEFORE, the lead time of the reminders the journey's timers send. */
  constructor(private readonly deps: { client: Client; taskQueue: string; readModel: JourneyReadModel; reminderBefore?: string }) {}

  /** The workflow input of a launch, started now. */
  inputOf(spec: JourneyLaunch, startedAt = new Date().toISOString()): JourneyInput {
    return {
      journeyId: spec.journeyId,
      snapshot: spec.snapshot,
      subject: spec.subject,
      data: spec.data,
      startedBy: spec.startedBy,
      startedAt,
      idempotencyKey: spec.idempotencyKey,
      revision: JOURNEY_REVISION,
      ...(this.deps.reminderBefore ? { reminderBefore: this.deps.reminderBefore } : {}),
      ...(spec.sourceEvent ? { sourceEvent: spec.sourceEvent } : {}),
    };
  }

  /**
   * Starts (or finds) the journey's workflow and waits up to `waitMs` for its row in the read
   * model (undefined when it did not come in time: the journey runs all the same).
   * `startTimeoutMs`: give up the start after this long (the client otherwise retries an
   * unreachable server for about 20 s), with an EngineUnavailableError.
   */
  async launch(spec: JourneyLaunch, options: { startTimeoutMs?: number; waitMs?: number } = {}): Promise<{ input: JourneyInput; row?: JourneyRow }> {
    const input = this.inputOf(spec);
    const { client } = this.deps;
    const start = () =>
      client.workflow.start(JOURNEY_WORKFLOW_TYPE, {
        workflowId: journeyWorkflowId(spec.journeyId),
        taskQueue: this.deps.taskQueue,
        args: [input],
        typedSearchAttributes: initialSearchAttributes(spec.snapshot, spec.subject),
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    try {
      await (options.startTimeoutMs ? client.connection.withDeadline(Date.now() + options.startTimeoutMs, start) : start());
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw new EngineUnavailableError((err as Error).message);
    }
    const row = await this.deps.readModel.waitFor(spec.journeyId, undefined, options.waitMs ?? 10_000);
    return { input, ...(row ? { row } : {}) };
  }
}
