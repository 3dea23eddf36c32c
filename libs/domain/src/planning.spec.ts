import { initialStepStates } from './journey-state';
import type { LifeEventNode, LifeEventSnapshot, StepState } from './model';
import { isJourneyFinished, planReadySteps, topologicalOrder, type PlanningContext } from './planning';

type NodeSpec = Pick<LifeEventNode, 'key' | 'dependsOn' | 'condition' | 'optional'>;
const snapshot = (nodes: NodeSpec[]): LifeEventSnapshot => ({
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
const context = (data: Record<string, unknown> = {}): PlanningContext => ({ data, subject: { type: 'person', id: '1' } });
const set = (states: Record<string, StepState>, key: string, patch: Partial<StepState>) => Object.assign(states[key], patch);

// Starting a business: register, then VAT, permit (only when serving alcohol) and bank in parallel, then a join.
const business = snapshot([
  { key: 'register' },
  { key: 'vat', dependsOn: ['register'] },
  { key: 'permit', dependsOn: ['register'], condition: { '==': [{ var: 'data.alcohol' }, true] } },
  { key: 'bank', dependsOn: ['register'] },
  { key: 'end', dependsOn: ['vat', 'permit', 'bank'] },
]);

describe('planReadySteps', () => {
  it('starts only the roots first', () => {
    expect(planReadySteps(business, initialStepStates(business), context())).toEqual({ start: ['register'], skip: [] });
  });

  it('makes parallel branches ready together once their dependency completes', () => {
    const states = initialStepStates(business);
    set(states, 'register', { status: 'waiting' });
    expect(planReadySteps(business, states, context({ alcohol: true }))).toEqual({ start: [], skip: [] });
    set(states, 'register', { status: 'completed' });
    expect(planReadySteps(business, states, context({ alcohol: true }))).toEqual({ start: ['vat', 'permit', 'bank'], skip: [] });
  });

  it('skips a step whose condition is false, with the reason', () => {
    const states = initialStepStates(business);
    set(states, 'register', { status: 'completed' });
    expect(planReadySteps(business, states, context({ alcohol: false }))).toEqual({
      start: ['vat', 'bank'],
      skip: [{ key: 'permit', reason: 'its condition does not hold for this journey' }],
    });
  });

  it('a join waits for every branch; a skipped branch does not block it', () => {
    const states = initialStepStates(business);
    set(states, 'register', { status: 'completed' });
    set(states, 'vat', { status: 'completed' });
    set(states, 'permit', { status: 'skipped' });
    set(states, 'bank', { status: 'waiting' });
    expect(planReadySteps(business, states, context()).start).toEqual([]);
    set(states, 'bank', { status: 'needs_attention' });
    expect(planReadySteps(business, states, context()).start).toEqual([]);
    set(states, 'bank', { status: 'completed' });
    expect(planReadySteps(business, states, context())).toEqual({ start: ['end'], skip: [] });
  });

  it('never plans a step that is not pending', () => {
    const states = initialStepStates(business);
    set(states, 'register', { status: 'running' });
    expect(planReadySteps(business, states, context())).toEqual({ start: [], skip: [] });
  });

  it('skips the steps after a rejected step, and the steps after those', () => {
    const states = initialStepStates(business);
    set(states, 'register', { status: 'completed', outcome: { result: 'rejected' } });
    const plan = planReadySteps(business, states, context({ alcohol: true }));
    expect(plan.start).toEqual([]);
    expect(plan.skip).toEqual(['vat', 'permit', 'bank'].map((key) => ({ key, reason: "dependency 'register' was rejected" })));
    for (const key of ['vat', 'permit', 'bank']) set(states, key, { status: 'skipped' });
    expect(planReadySteps(business, states, context()).skip).toEqual([{ key: 'end', reason: "dependency 'vat' did not run because 'register' was rejected" }]);
  });

  it('does not let a rejected optional step block what follows', () => {
    const g = snapshot([{ key: 'permit', optional: true }, { key: 'open', dependsOn: ['permit'] }]);
    const states = initialStepStates(g);
    set(states, 'permit', { status: 'completed', outcome: { result: 'rejected' } });
    expect(planReadySteps(g, states, context())).toEqual({ start: ['open'], skip: [] });
  });

  it('skips a step whose condition cannot be evaluated, with the error', () => {
    const g = snapshot([{ key: 'x', condition: { in: ['a', { var: 'data.list' }] } }]);
    const plan = planReadySteps(g, initialStepStates(g), context({ list: { indexOf: 'not a function' } }));
    expect(plan.start).toEqual([]);
    expect(plan.skip).toEqual([{ key: 'x', reason: expect.stringMatching(/^its condition could not be evaluated/), error: expect.any(String) }]);
  });

  it('lets conditions read earlier steps, from the states when the context has no steps', () => {
    const g = snapshot([{ key: 'review' }, { key: 'grant', dependsOn: ['review'], condition: { '==': [{ var: 'steps.review.outcome.result' }, 'approved'] } }]);
    const states = initialStepStates(g);
    set(states, 'review', { status: 'completed', outcome: { result: 'approved' } });
    expect(planReadySteps(g, states, context()).start).toEqual(['grant']);
    set(states, 'review', { outcome: { result: 'done' } });
    expect(planReadySteps(g, states, context()).skip.map((s) => s.key)).toEqual(['grant']);
  });
});

describe('isJourneyFinished and topologicalOrder', () => {
  it('is finished only when every step is completed, skipped or cancelled', () => {
    const states = initialStepStates(business);
    for (const key of ['register', 'vat', 'permit', 'bank']) set(states, key, { status: 'completed' });
    expect(isJourneyFinished(states)).toBe(false);
    set(states, 'end', { status: 'skipped' });
    expect(isJourneyFinished(states)).toBe(true);
    set(states, 'bank', { status: 'needs_attention' });
    expect(isJourneyFinished(states)).toBe(false);
  });

  it('orders the snapshot nodes', () => {
    expect(topologicalOrder([...business.nodes].reverse())).toEqual(['register', 'bank', 'permit', 'vat', 'end']);
  });
});
