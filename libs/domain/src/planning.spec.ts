import { initialStepStates, journeyStatus, nextDueAt } from './journey-state';
import type { LifeEventSnapshot, StepState } from './model';
import { isJourneyFinished, planReadySteps } from './planning';

const snapshot = (nodes: Array<{ key: string; dependsOn?: string[]; condition?: unknown }>): LifeEventSnapshot => ({
  key: 'le',
  version: 1,
  audience: 'citizen',
  titles: { nl: 'x' },
  nodes: nodes.map((n) => ({
    ...n,
    step: { agency: 'a', key: n.key, version: 1 },
    definition: { agency: 'a', key: n.key, version: 1, kind: 'citizen', titles: { nl: n.key }, serviceNorm: { target: 'P1D' } },
  })),
});
const context = (data: Record<string, unknown> = {}) => ({ data, subject: { type: 'person', id: '1' }, steps: {} });
const set = (states: Record<string, StepState>, key: string, patch: Partial<StepState>) => Object.assign(states[key], patch);

describe('planReadySteps', () => {
  const graph = snapshot([{ key: 'register' }, { key: 'vat', dependsOn: ['register'] }, { key: 'permit', dependsOn: ['register'], condition: { '==': [{ var: 'data.alcohol' }, true] } }, { key: 'bank', dependsOn: ['register'] }, { key: 'end', dependsOn: ['vat', 'permit', 'bank'] }]);

  it('starts only the roots first', () => {
    expect(planReadySteps(graph, initialStepStates(graph), context())).toEqual({ start: ['register'], skip: [] });
  });

  it('starts parallel branches together and skips a branch whose condition is false', () => {
    const states = initialStepStates(graph);
    set(states, 'register', { status: 'completed' });
    const plan = planReadySteps(graph, states, context({ alcohol: false }));
    expect(plan.start).toEqual(['vat', 'bank']);
    expect(plan.skip).toEqual([{ key: 'permit', reason: expect.stringMatching(/condition/) }]);
    expect(planReadySteps(graph, states, context({ alcohol: true })).start).toEqual(['vat', 'permit', 'bank']);
  });

  it('a join waits for every branch; a skipped branch does not block it', () => {
    const states = initialStepStates(graph);
    set(states, 'register', { status: 'completed' });
    set(states, 'vat', { status: 'completed' });
    set(states, 'permit', { status: 'skipped' });
    set(states, 'bank', { status: 'waiting' });
    expect(planReadySteps(graph, states, context()).start).toEqual([]);
    set(states, 'bank', { status: 'completed' });
    expect(planReadySteps(graph, states, context()).start).toEqual(['end']);
  });

  it('skips the steps after a rejected step', () => {
    const states = initialStepStates(graph);
    set(states, 'register', { status: 'completed', outcome: { result: 'rejected' } });
    const plan = planReadySteps(graph, states, context({ alcohol: true }));
    expect(plan.start).toEqual([]);
    expect(plan.skip.map((s) => s.key)).toEqual(['vat', 'permit', 'bank']);
  });

  it('a condition that cannot be evaluated skips the step with the reason', () => {
    const g = snapshot([{ key: 'x', condition: { in: ['a', { var: 'data.list' }] } }]);
    const plan = planReadySteps(g, initialStepStates(g), context({ list: 42 }));
    expect(plan.start.length + plan.skip.length).toBe(1);
  });
});

describe('journey state', () => {
  it('derives the journey status and the next due date', () => {
    const g = snapshot([{ key: 'a' }, { key: 'b' }]);
    const states = initialStepStates(g);
    expect(journeyStatus(states)).toBe('running');
    set(states, 'a', { status: 'waiting', dueAt: '2026-01-02T00:00:00.000Z' });
    set(states, 'b', { status: 'needs_attention', dueAt: '2026-01-01T00:00:00.000Z' });
    expect(journeyStatus(states)).toBe('needs_attention');
    expect(nextDueAt(states)).toBe('2026-01-01T00:00:00.000Z');
    set(states, 'a', { status: 'completed' });
    set(states, 'b', { status: 'skipped' });
    expect(isJourneyFinished(states)).toBe(true);
    expect(journeyStatus(states)).toBe('completed');
    expect(nextDueAt(states)).toBeUndefined();
  });
});
