import { callMayOutlast, CALL_QUEUE_SLACK_MS, longestCallMs, newExpectedDate, reminderAt, remindsAtOpening } from './lateness';

describe('the instant of a reminder', () => {
  test('the lead time before the due date', () => {
    expect(reminderAt('2026-12-10T12:00:00.000Z', 'P3D')).toBe('2026-12-07T12:00:00.000Z');
    expect(reminderAt('2026-12-10T12:00:00.000Z', 'PT3S')).toBe('2026-12-10T11:59:57.000Z');
  });

  test('none without a due date, a lead time, or with an invalid one', () => {
    expect(reminderAt(undefined, 'P3D')).toBeUndefined();
    expect(reminderAt('2026-12-10T12:00:00.000Z', undefined)).toBeUndefined();
    expect(reminderAt('2026-12-10T12:00:00.000Z', 'P-3D')).toBeUndefined();
  });
});

describe('the new expected date of a late step', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  test('the escalation instant while it is ahead, else now plus the target', () => {
    expect(newExpectedDate(new Date('2026-11-25T12:00:00.000Z'), { target: 'P5D', escalate: 'P10D' }, now).toISOString()).toBe('2026-12-05T12:00:00.000Z');
    expect(newExpectedDate(new Date('2026-11-15T12:00:00.000Z'), { target: 'P5D', escalate: 'P10D' }, now).toISOString()).toBe('2026-12-06T12:00:00.000Z');
  });
});

describe('a task that opens after its reminder instant', () => {
  const due = '2026-12-10T12:00:00.000Z';
  test('is reminded at once while it is not due', () => {
    expect(remindsAtOpening(due, 'P3D', Date.parse('2026-12-08T00:00:00.000Z'))).toBe(true);
    expect(remindsAtOpening(due, 'P3D', Date.parse('2026-12-07T12:00:00.000Z'))).toBe(true);
    expect(remindsAtOpening(due, 'P3D', Date.parse(due) - 1)).toBe(true);
  });

  test('not before its instant (its timer reminds it), nor once due, nor without a lead time', () => {
    expect(remindsAtOpening(due, 'P3D', Date.parse('2026-12-07T11:59:59.999Z'))).toBe(false);
    expect(remindsAtOpening(due, 'P3D', Date.parse(due))).toBe(false);
    expect(remindsAtOpening(due, 'P3D', Date.parse('2026-12-11T00:00:00.000Z'))).toBe(false);
    expect(remindsAtOpening(due, undefined, Date.parse('2026-12-09T00:00:00.000Z'))).toBe(false);
    expect(remindsAtOpening(undefined, 'P3D', Date.parse('2026-12-09T00:00:00.000Z'))).toBe(false);
  });
});

describe('how long an agency call can take', () => {
  const policy = { maximumAttempts: 4, initialInterval: 'PT1S', backoffCoefficient: 2, maximumInterval: 'PT3S' };
  test('every attempt to its timeout and every wait to its cap', () => {
    // 4 attempts of 30 s, waits of 1, 2 and 3 (capped) seconds.
    expect(longestCallMs(policy, 30_000)).toBe(126_000);
    expect(longestCallMs({ ...policy, maximumAttempts: 1 }, 30_000)).toBe(30_000);
  });

  test('no bound without an attempt limit', () => {
    expect(longestCallMs({ ...policy, maximumAttempts: 0 }, 30_000)).toBe(Number.POSITIVE_INFINITY);
  });

  test('a call may outlast the due date when its longest run (and queueing) reaches it', () => {
    const now = Date.parse('2026-12-01T12:00:00.000Z');
    const at = (ms: number) => new Date(now + ms).toISOString();
    expect(callMayOutlast(at(126_000 + CALL_QUEUE_SLACK_MS), now, policy, 30_000)).toBe(true);
    expect(callMayOutlast(at(126_000 + CALL_QUEUE_SLACK_MS + 1), now, policy, 30_000)).toBe(false);
    expect(callMayOutlast(at(5 * 86_400_000), now, policy, 30_000)).toBe(false);
    // Already due, or no due date: no timer (the notice after the call covers it).
    expect(callMayOutlast(at(0), now, policy, 30_000)).toBe(false);
    expect(callMayOutlast(undefined, now, policy, 30_000)).toBe(false);
  });
});
