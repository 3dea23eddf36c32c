import { initialStepStates, isOverdue, isStepOverdue, journeyStatus, nextDueAt, overdueSteps, serviceNormDeadlines } from './journey-state';
import type { LifeEventSnapshot, StepState } from './model';

const snapshot: LifeEventSnapshot = {
  key: 'le',
  version: 1,
  audience: 'business',
  titles: { nl: 'x' },
  nodes: [
    { key: 'a', step: { agency: 'bank', key: 'open', version: 1 }, definition: { agency: 'bank', key: 'open', version: 1, kind: 'citizen', titles: { nl: 'a' }, serviceNorm: { target: 'P1D' } } },
    { key: 'b', step: { agency: 'fin', key: 'vat', version: 2 }, definition: { agency: 'fin', key: 'vat', version: 2, kind: 'automatic', endpoint: 'http://x', titles: { nl: 'b' }, serviceNorm: { target: 'P1D' } } },
  ],
};
const set = (states: Record<string, StepState>, key: string, patch: Partial<StepState>) => Object.assign(states[key], patch);

describe('journey state', () => {
  it('starts every step pending with its agency and kind', () => {
    expect(initialStepStates(snapshot)).toEqual({
      a: { key: 'a', agency: 'bank', kind: 'citizen', status: 'pending', attempts: 0 },
      b: { key: 'b', agency: 'fin', kind: 'automatic', status: 'pending', attempts: 0 },
    });
  });

  it('derives the journey status from the steps', () => {
    const states = initialStepStates(snapshot);
    expect(journeyStatus(states)).toBe('running');
    set(states, 'a', { status: 'completed' });
    set(states, 'b', { status: 'needs_attention' });
    expect(journeyStatus(states)).toBe('needs_attention');
    set(states, 'b', { status: 'skipped' });
    expect(journeyStatus(states)).toBe('completed');
    set(states, 'b', { status: 'cancelled' });
    expect(journeyStatus(states)).toBe('cancelled');
  });

  it('finds the next due date among steps whose clock runs', () => {
    const states = initialStepStates(snapshot);
    set(states, 'a', { status: 'pending', dueAt: '2025-01-01T00:00:00.000Z' });
    expect(nextDueAt(states)).toBeUndefined();
    set(states, 'a', { status: 'waiting', dueAt: '2026-01-02T00:00:00.000Z' });
    set(states, 'b', { status: 'running', dueAt: '2026-01-01T12:00:00+01:00' });
    expect(nextDueAt(states)).toBe('2026-01-01T12:00:00+01:00');
    set(states, 'b', { status: 'completed' });
    expect(nextDueAt(states)).toBe('2026-01-02T00:00:00.000Z');
  });

  it('tells which steps are overdue at a given instant', () => {
    const states = initialStepStates(snapshot);
    set(states, 'a', { status: 'waiting', dueAt: '2026-01-02T00:00:00.000Z' });
    set(states, 'b', { status: 'completed', dueAt: '2026-01-01T00:00:00.000Z' });
    expect(isOverdue(states, '2026-01-01T23:59:59.999Z')).toBe(false);
    expect(isOverdue(states, '2026-01-02T00:00:00.001Z')).toBe(true);
    expect(overdueSteps(states, '2026-02-01T00:00:00Z')).toEqual(['a']);
    expect(isStepOverdue(states.b, '2026-02-01T00:00:00Z')).toBe(false);
  });

  it('computes service-norm deadlines from the start', () => {
    expect(serviceNormDeadlines('2026-01-01T00:00:00Z', { target: 'P5D', warn: 'P3D' })).toEqual({ dueAt: '2026-01-06T00:00:00.000Z', warnAt: '2026-01-04T00:00:00.000Z' });
    expect(serviceNormDeadlines('2026-01-01T00:00:00Z', { target: 'PT1H', escalate: 'PT2H' })).toEqual({ dueAt: '2026-01-01T01:00:00.000Z', escalateAt: '2026-01-01T02:00:00.000Z' });
  });

  it('puts warning, due date and escalation each at its own instant when the norm has all three', () => {
    // The instants the workflow's norm timers fire at: an escalation at the warning (or due) time is wrong.
    expect(serviceNormDeadlines('2026-03-01T08:30:00Z', { warn: 'P20D', target: 'P30D', escalate: 'P40D' })).toEqual({
      warnAt: '2026-03-21T08:30:00.000Z',
      dueAt: '2026-03-31T08:30:00.000Z',
      escalateAt: '2026-04-10T08:30:00.000Z',
    });
    expect(serviceNormDeadlines('2026-03-01T08:30:00Z', { target: 'PT4S', warn: 'PT2S', escalate: 'PT6S' }).escalateAt).toBe('2026-03-01T08:30:06.000Z');
  });
});
