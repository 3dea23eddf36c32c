import { SourceRequestError } from './errors';

/** What came of a register read that was logged as `requested`. */
export type ReadOutcome = 'granted' | 'refused-by-source' | 'failed';

/** A source that refused the request (4xx) refused it; anything else (down, timed out) failed. */
export function readOutcomeOf(err: unknown): Exclude<ReadOutcome, 'granted'> {
  return err instanceof SourceRequestError ? 'refused-by-source' : 'failed';
}

/**
 * Writes one row of the access log (the caller's SQL): `requested` before a read, then the outcome
 * pointing at the request (`requestId`, as returned for the request), with the error's message.
 */
export type AccessLogEntry = (outcome: 'requested' | ReadOutcome, requestId?: string, reason?: string) => Promise<string | undefined>;

/**
 * A register read on record: logged as requested before the call (so it is there even if the read
 * fails or the process dies) and its outcome after it, as a row of its own (the log is
 * insert-only). The read's error is thrown again, also when its outcome could not be written.
 */
export async function loggedRead<T>(log: AccessLogEntry, read: () => Promise<T>): Promise<T> {
  const requestId = await log('requested');
  let result: T;
  try {
    result = await read();
  } catch (err) {
    await log(readOutcomeOf(err), requestId, (err as Error).message?.slice(0, 1000)).catch(() => undefined);
    throw err;
  }
  await log('granted', requestId);
  return result;
}
