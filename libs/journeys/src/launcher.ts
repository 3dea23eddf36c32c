import { createHash } from 'node:crypto';
import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import {
  initialSearchAttributes,
  JOURNEY_REVISION,
  JOURNEY_WORKFLOW_TYPE,
  journeyWorkflowId,
  type JourneyInput,
} from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot, Subject } from '@levensloop/domain';
import { annotateActiveSpan } from '@levensloop/telemetry';
import { subjectSearchKey } from '@levensloop/temporal';

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

/** gRPC's status code NOT_FOUND (what Temporal answers for a workflow id it does not know). */
const GRPC_NOT_FOUND = 5;

/** What a launch did: started the journey with `input`, or found it started before with `existing`. */
export interface LaunchResult {
  input: JourneyInput;
  /** The input the journey was started with earlier (the same id: a replay, or a race lost). */
  existing?: JourneyInput;
}

/**
 * The one way journeys start, for `POST /journeys` and for source events alike: the snapshot is
 * pinned in the workflow's input, the workflow id comes from the journey id (so a start is
 * idempotent, also when two race) and the search attributes are set at start. Authorisation is
 * the caller's. A launch returns once Temporal has accepted the start (durable); the workflow's
 * first projection writes the read model shortly after, and until then the workflow's own start
 * input (`startedInput`) says what the journey is.
 */
export class JourneyLauncher {
  /**
   * `reminderBefore`: REMINDER_BEFORE, the lead time of the reminders the journey's timers send;
   * `subjectHashKey`: TEMPORAL_SUBJECT_HASH_KEY, the key of the subject search attribute's hash.
   */
  constructor(private readonly deps: { client: Client; taskQueue: string; subjectHashKey: string; reminderBefore?: string }) {}

  /** The workflow input of a launch, started now. */
  inputOf(spec: JourneyLaunch, startedAt = new Date().toISOString()): JourneyInput {
    return {
      journeyId: spec.journeyId,
      snapshot: spec.snapshot,
      subject: spec.subject,
      subjectSearchKey: subjectSearchKey(spec.subject, this.deps.subjectHashKey),
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
   * Starts the journey's workflow, or finds it started (then `existing` is the input it was
   * started with, so the caller can tell a replay from another request with the same id).
   * `startTimeoutMs`: give up the start after this long (the client otherwise retries an
   * unreachable server for about 20 s), with an EngineUnavailableError.
   */
  async launch(spec: JourneyLaunch, options: { startTimeoutMs?: number } = {}): Promise<LaunchResult> {
    const input = this.inputOf(spec);
    const { client } = this.deps;
    // The request's trace is found by the journey it started (the sandbox's trace view, a collector's search).
    annotateActiveSpan({ 'levensloop.journey.id': spec.journeyId, 'levensloop.life_event': spec.snapshot.key });
    const start = () =>
      client.workflow.start(JOURNEY_WORKFLOW_TYPE, {
        workflowId: journeyWorkflowId(spec.journeyId),
        taskQueue: this.deps.taskQueue,
        args: [input],
        typedSearchAttributes: initialSearchAttributes(spec.snapshot, input.subjectSearchKey ?? subjectSearchKey(spec.subject, this.deps.subjectHashKey)),
        // An existing execution (running or closed) is reported, not joined: its input is read back.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    try {
      await (options.startTimeoutMs ? client.connection.withDeadline(Date.now() + options.startTimeoutMs, start) : start());
      return { input };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw new EngineUnavailableError((err as Error).message);
    }
    const existing = await this.startedInput(spec.journeyId).catch((err: Error) => {
      throw new EngineUnavailableError(err.message);
    });
    if (!existing) throw new EngineUnavailableError(`journey ${spec.journeyId} was started, but its history cannot be read`);
    return { input, existing };
  }

  /**
   * The input a journey's workflow was started with (its history's first event; Temporal serves
   * it without a worker), or undefined when there is no such workflow. `timeoutMs` bounds the call.
   */
  async startedInput(journeyId: string, timeoutMs = 5_000): Promise<JourneyInput | undefined> {
    const { client } = this.deps;
    try {
      const { history } = await client.connection.withDeadline(Date.now() + timeoutMs, () =>
        client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId: journeyWorkflowId(journeyId) }, maximumPageSize: 1 }),
      );
      const payloads = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
      if (!payloads?.length) return undefined;
      const [input] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
      return input as JourneyInput;
    } catch (err) {
      if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) return undefined;
      throw err;
    }
  }
}
