/** The activities the journey calls, with their timeouts and retries. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { durationToMs, DEFAULT_RETRY, type RetryPolicy } from '@levensloop/domain';
import type { CompensationActivities, JourneyActivities } from '@levensloop/contracts/workflow';

/**
 * Projection into the read model runs as a local activity: a short, idempotent SQL transaction
 * in the worker, without the server round trips (and history events) of a regular activity.
 * It retries without limit while PostgreSQL is down, so the read model always catches up.
 */
export const projection = proxyLocalActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * Preparing a step's data and deciding are short database and source reads: a source that is
 * down is retried for a while, then the step needs attention (a caseworker retries or skips).
 */
export const engine = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 4, initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** How long one attempt of an agency call may take. */
export const AGENCY_ATTEMPT_TIMEOUT_MS = 30_000;

/** Agency calls retry as the step's definition says (the default policy otherwise). */
export function agencyActivities(policy: RetryPolicy | undefined) {
  const retry = policy ?? DEFAULT_RETRY;
  return proxyActivities<JourneyActivities & CompensationActivities>({
    startToCloseTimeout: AGENCY_ATTEMPT_TIMEOUT_MS,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: durationToMs(retry.initialInterval),
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: durationToMs(retry.maximumInterval),
    },
  });
}
