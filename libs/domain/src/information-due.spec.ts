import { informationLapsedFlag, informationOpen, informationReminderAt } from './information-due';
import type { StepState } from './model';
import { openTaskOf } from './tasks';

const at = (days: number) => new Date(Date.parse('2026-03-01T09:00:00.000Z') + days * 86_400_000).toISOString();

describe('when the citizen is reminded of a request for information', () => {
  it('3 days before the due date when the term is 6 days or more', () => {
    expect(informationReminderAt({ askedAt: at(0), dueAt: at(14) })).toBe(at(11));
    expect(informationReminderAt({ askedAt: at(0), dueAt: at(6) })).toBe(at(3));
  });

  it('half-way for a shorter term', () => {
    expect(informationReminderAt({ askedAt: at(0), dueAt: at(4) })).toBe(at(2));
    expect(informationReminderAt({ askedAt: at(0), dueAt: at(1) })).toBe(new Date(Date.parse(at(0)) + 12 * 3_600_000).toISOString());
  });

  it('not at all for a term under a minute or dates that do not parse', () => {
    expect(informationReminderAt({ askedAt: at(0), dueAt: new Date(Date.parse(at(0)) + 59_000).toISOString() })).toBeUndefined();
    expect(informationReminderAt({ askedAt: 'yesterday', dueAt: at(4) })).toBeUndefined();
  });
});

describe('a request still open, and the flag on the caseworker task once it lapsed', () => {
  const step = (information: StepState['information'], waitingFor: StepState['waitingFor'] = 'information'): StepState => ({
    key: 'review',
    agency: 'housing',
    kind: 'caseworker',
    status: 'waiting',
    attempts: 0,
    waitingFor,
    information,
  });
  const request = { question: 'The lease, please.', dueAt: at(10), by: 'cw-1', askedAt: at(0) };

  it('is open while the step waits for it, not once answered, lapsed, or replaced by another request', () => {
    expect(informationOpen(step(request), at(0))).toBe(true);
    expect(informationOpen(step({ ...request, answeredAt: at(3) }, 'task'), at(0))).toBe(false);
    expect(informationOpen(step({ ...request, answeredAt: at(3) }), at(0))).toBe(false);
    expect(informationOpen(step({ ...request, lapsedAt: at(10) }), at(0))).toBe(false);
    expect(informationOpen(step({ ...request, askedAt: at(5) }), at(0))).toBe(false);
  });

  it("flags the caseworker's own task with the question and its date once it lapsed, and only then", () => {
    expect(informationLapsedFlag(request)).toBeUndefined();
    expect(informationLapsedFlag({ ...request, lapsedAt: at(10) })).toEqual({ noAnswer: { question: 'The lease, please.', dueAt: at(10), lapsedAt: at(10) } });
    expect(openTaskOf('j1', step({ ...request, lapsedAt: at(10) }, 'task'))).toEqual({
      id: 'j1.review',
      purpose: 'task',
      assignee: 'caseworker',
      fields: null,
      data: { noAnswer: { question: 'The lease, please.', dueAt: at(10), lapsedAt: at(10) } },
    });
    expect(openTaskOf('j1', step({ ...request, answeredAt: at(3) }, 'task'))).not.toHaveProperty('data');
  });
});
