import { delayNotice, isLate, newExpectedDate, type StepProgress } from './lateness';

const now = new Date('2026-12-01T12:00:00.000Z');
const step = (over: Partial<StepProgress> = {}): StepProgress => ({
  kind: 'caseworker',
  status: 'waiting',
  journeyStatus: 'running',
  startedAt: new Date('2026-11-20T12:00:00.000Z'),
  dueAt: new Date('2026-11-30T12:00:00.000Z'),
  ...over,
});

describe('lateness of a step', () => {
  test('an agency step past its due date while it and its journey are under way is late', () => {
    for (const kind of ['automatic', 'caseworker', 'decision']) expect(isLate(step({ kind }), now)).toBe(true);
    for (const status of ['running', 'waiting', 'needs_attention']) expect(isLate(step({ status }), now)).toBe(true);
    expect(isLate(step({ journeyStatus: 'needs_attention' }), now)).toBe(true);
  });

  test('a citizen step, a finished step or journey, or no due date is not', () => {
    expect(isLate(step({ kind: 'citizen' }), now)).toBe(false);
    for (const status of ['pending', 'completed', 'skipped', 'cancelled', 'failed']) expect(isLate(step({ status }), now)).toBe(false);
    for (const journeyStatus of ['completed', 'cancelled']) expect(isLate(step({ journeyStatus }), now)).toBe(false);
    expect(isLate(step({ dueAt: null }), now)).toBe(false);
  });

  test('due exactly now is not late yet; a millisecond after, it is', () => {
    expect(isLate(step({ dueAt: now }), now)).toBe(false);
    expect(isLate(step({ dueAt: new Date(now.getTime() - 1) }), now)).toBe(true);
  });
});

describe('the new expected date of a delay notice', () => {
  test('the escalation instant when it is still ahead', () => {
    expect(newExpectedDate(new Date('2026-11-20T12:00:00Z'), { target: 'P10D', escalate: 'P15D' }, now).toISOString()).toBe('2026-12-05T12:00:00.000Z');
  });

  test('now plus the target when the escalation passed (or is exactly now) or there is none', () => {
    expect(newExpectedDate(new Date('2026-11-10T12:00:00Z'), { target: 'P3D', escalate: 'P15D' }, now).toISOString()).toBe('2026-12-04T12:00:00.000Z');
    expect(newExpectedDate(new Date('2026-11-16T12:00:00Z'), { target: 'P3D', escalate: 'P15D' }, now).toISOString()).toBe('2026-12-04T12:00:00.000Z');
    expect(newExpectedDate(new Date('2026-11-20T12:00:00Z'), { target: 'PT2H' }, now).toISOString()).toBe('2026-12-01T14:00:00.000Z');
  });

  test('five days without a norm; counted from now when the start is unknown', () => {
    expect(newExpectedDate(null, null, now).toISOString()).toBe('2026-12-06T12:00:00.000Z');
    expect(newExpectedDate(null, { escalate: 'P1D' }, now).toISOString()).toBe('2026-12-02T12:00:00.000Z');
  });

  test('delayNotice: only for a late step', () => {
    expect(delayNotice(step(), { target: 'P1D' }, now)).toEqual({ newExpectedDate: new Date('2026-12-02T12:00:00.000Z') });
    expect(delayNotice(step({ status: 'completed' }), { target: 'P1D' }, now)).toBeUndefined();
  });
});
