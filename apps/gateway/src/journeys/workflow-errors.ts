import {
  type Client,
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
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (err as Error)?.name === 'TimeoutError') {
    return new ProblemException(503, 'The journey engine did not answer in time; try again.', { slug: 'engine-busy' });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** How long a request waits for a journey to accept an update. */
const UPDATE_TIMEOUT_MS = 20_000;

/**
 * Sends an update to a journey's workflow and answers with its result: a refusal, a closed journey
 * or an engine that does not answer in time becomes the problem `updateProblem` says.
 */
export async function updateJourney<Ret, I>(client: Client, workflowId: string, update: UpdateDefinition<Ret, [I]>, input: I): Promise<Ret> {
  try {
    return await withTimeout(client.workflow.getHandle(workflowId).executeUpdate(update, { args: [input] }), UPDATE_TIMEOUT_MS);
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
