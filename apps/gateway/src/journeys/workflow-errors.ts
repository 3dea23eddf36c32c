import { randomUUID } from 'node:crypto';
import {
  type Client,
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { ProblemException } from '../common/problem';

/** Maps what Temporal answers to an update into a problem the caller can act on. */
export function updateProblem(err: unknown): Error {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause as { message?: string } | undefined;
    return new ProblemException(409, cause?.message ?? 'The journey refused the request.', { slug: 'refused-by-journey' });
  }
  if (err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error)?.message))) {
    return new ProblemException(409, 'The journey is no longer running.', { slug: 'journey-closed' });
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (err as Error)?.name === 'TimeoutError' || serverDidNotTakeIt(err)) {
    return new ProblemException(503, 'The journey engine did not answer in time; try again.', { slug: 'engine-busy' });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** How long a request waits for a journey to accept an update. */
const UPDATE_TIMEOUT_MS = 20_000;

/**
 * gRPC codes with which the server answers an update it did not take (UNAVAILABLE, ABORTED, e.g.
 * while the journey's first workflow task is still running or a speculative task failed;
 * RESOURCE_EXHAUSTED): the same update may be sent again.
 */
const NOT_TAKEN_CODES = new Set([14, 10, 8]);

/** True for a service error whose gRPC code says the server did not take the update. */
export function serverDidNotTakeIt(err: unknown): boolean {
  const cause = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(cause) && NOT_TAKEN_CODES.has(cause.code);
}

/** Pauses between sending an update the server did not take and sending it again. */
const RESEND_AFTER_MS = [200, 800, 2_000];

/**
 * Sends an update to a journey's workflow and answers with its result, or throws what Temporal
 * answered. An update the server did not take is sent again under the same update id, so the
 * journey applies it once even if an earlier attempt did land; the whole gives up after
 * UPDATE_TIMEOUT_MS (a `TimeoutError`).
 */
export async function sendUpdate<Ret, I>(client: Client, workflowId: string, update: UpdateDefinition<Ret, [I]>, input: I): Promise<Ret> {
  const updateId = randomUUID();
  const send = async (): Promise<Ret> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.workflow.getHandle(workflowId).executeUpdate(update, { args: [input], updateId });
      } catch (err) {
        if (attempt >= RESEND_AFTER_MS.length || !serverDidNotTakeIt(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, RESEND_AFTER_MS[attempt]));
      }
    }
  };
  return withTimeout(send(), UPDATE_TIMEOUT_MS);
}

/** `sendUpdate`, with a refusal, a closed journey or an engine that does not answer in time as the problem `updateProblem` says. */
export async function updateJourney<Ret, I>(client: Client, workflowId: string, update: UpdateDefinition<Ret, [I]>, input: I): Promise<Ret> {
  try {
    return await sendUpdate(client, workflowId, update, input);
  } catch (err) {
    throw updateProblem(err);
  }
}

/** Updates wait for a worker; give up after a while so a request never hangs forever. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error('timed out');
      err.name = 'TimeoutError';
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
