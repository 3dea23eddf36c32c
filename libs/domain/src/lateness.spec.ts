import { newExpectedDate, reminderAt } from './lateness';

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
