import { addDuration, parseDuration } from './durations';
import { initialStepStates, isStepOverdue, nextDueAt } from './journey-state';
import type { LifeEventNode, LifeEventSnapshot, StepState } from './model';
import { planReadySteps } from './planning';
import { pointerSegment } from './problem';

const snapshot = (nodes: Array<Pick<LifeEventNode, 'key' | 'dependsOn' | 'condition' | 'optional'>>): LifeEventSnapshot => ({
  key: 'le',
  version: 1,
  audience: 'citizen',
  titles: { nl: 'x' },
  nodes: nodes.map((n) => ({ ...n, step: { agency: 'a', key: n.key, version: 1 }, definition: { agency: 'a', key: n.key, version: 1, kind: 'citizen', titles: { nl: n.key }, serviceNorm: { target: 'P1D' } } })),
});
const ctx = { data: {}, subject: { type: 'person', id: '1' } };

describe('planning: what blocks a step', () => {
  const chain = snapshot([{ key: 'a' }, { key: 'b', dependsOn: ['a'] }, { key: 'c', dependsOn: ['b'] }, { key: 'd', dependsOn: ['c'] }]);
  const states = (patch: Record<string, Partial<StepState>>) => {
    const s = initialStepStates(chain);
    for (const [k, p] of Object.entries(patch)) Object.assign(s[k], p);
    return s;
  };

  it('a completed step that was approved does not block; a rejected or cancelled one does, through every skipped step after it', () => {
    expect(planReadySteps(chain, states({ a: { status: 'completed', outcome: { result: 'approved' } } }), ctx).start).toEqual(['b']);
    expect(planReadySteps(chain, states({ a: { status: 'completed', outcome: { result: 'rejected' } }, b: { status: 'skipped' }, c: { status: 'skipped' } }), ctx)).toEqual({
      start: [],
      skip: [{ key: 'd', reason: "dependency 'c' did not run because 'a' was rejected" }],
    });
    expect(planReadySteps(chain, states({ a: { status: 'cancelled' } }), ctx)).toEqual({ start: [], skip: [{ key: 'b', reason: "dependency 'a' was cancelled" }] });
    // A skip of its own (no rejection above it) does not cascade.
    expect(planReadySteps(chain, states({ a: { status: 'completed' }, b: { status: 'skipped' } }), ctx)).toEqual({ start: ['c'], skip: [] });
  });

  it('a rejected or cancelled optional step blocks nothing', () => {
    const optional = snapshot([{ key: 'a', optional: true }, { key: 'b', dependsOn: ['a'] }]);
    const s = initialStepStates(optional);
    Object.assign(s.a, { status: 'completed', outcome: { result: 'rejected' } });
    expect(planReadySteps(optional, s, ctx).start).toEqual(['b']);
    Object.assign(s.a, { status: 'cancelled' });
    expect(planReadySteps(optional, s, ctx).start).toEqual(['b']);
  });

  it('a step after two skipped branches names the first branch that leads to a rejection', () => {
    const fork = snapshot([{ key: 'a' }, { key: 'x' }, { key: 'b', dependsOn: ['x'] }, { key: 'c', dependsOn: ['a'] }, { key: 'd', dependsOn: ['b', 'c'] }]);
    const s = initialStepStates(fork);
    Object.assign(s.a, { status: 'completed', outcome: { result: 'rejected' } });
    Object.assign(s.x, { status: 'completed' });
    Object.assign(s.b, { status: 'skipped' });
    Object.assign(s.c, { status: 'skipped' });
    expect(planReadySteps(fork, s, ctx).skip).toEqual([{ key: 'd', reason: "dependency 'c' did not run because 'a' was rejected" }]);
  });

  it('a dependency the states do not have keeps the step waiting; only pending steps are planned', () => {
    const odd = snapshot([{ key: 'a', dependsOn: ['ghost'] }, { key: 'b' }]);
    const s = initialStepStates(odd);
    expect(planReadySteps(odd, s, ctx).start).toEqual(['b']);
    Object.assign(s.b, { status: 'running' });
    expect(planReadySteps(odd, s, ctx).start).toEqual([]);
    delete (s as Record<string, StepState | undefined>).b;
    expect(planReadySteps(odd, s, ctx)).toEqual({ start: [], skip: [] });
  });

  it('a condition that cannot be evaluated skips the step with the error', () => {
    const broken = snapshot([{ key: 'a', condition: { frob: 1 } }]);
    const plan = planReadySteps(broken, initialStepStates(broken), ctx);
    expect(plan.start).toEqual([]);
    expect(plan.skip).toEqual([{ key: 'a', reason: expect.stringMatching(/^its condition could not be evaluated: the condition is not valid: \/frob: unknown operator/), error: expect.stringMatching(/^the condition is not valid/) }]);
  });
});

describe('durations at their edges', () => {
  it('at most 64 characters', () => {
    expect(parseDuration(`PT${'0'.repeat(60)}1S`)).toBe(1000); // 64 characters
    expect(parseDuration(`PT${'0'.repeat(61)}1S`)).toBeUndefined(); // 65
  });

  it('decimals with a comma too; an instant that is no string is refused', () => {
    expect(parseDuration('PT1,5S')).toBe(1500);
    expect(() => addDuration(1_700_000_000_000 as never, 'P1D')).toThrow("'1700000000000' is not an ISO-8601 instant such as 2026-01-31T09:00:00Z.");
  });
});

describe('due dates', () => {
  const st = (key: string, status: StepState['status'], dueAt?: string): StepState => ({ key, agency: 'a', kind: 'citizen', status, attempts: 0, ...(dueAt ? { dueAt } : {}) });

  it('the earliest due date of steps whose clock runs, the first of equal ones', () => {
    expect(nextDueAt({ a: st('a', 'waiting', '2026-01-02T00:00:00Z'), b: st('b', 'needs_attention', '2026-01-01T00:00:00.000Z'), c: st('c', 'running', '2026-01-01T00:00:00Z') })).toBe('2026-01-01T00:00:00.000Z');
    expect(nextDueAt({ a: st('a', 'completed', '2026-01-01T00:00:00Z'), b: st('b', 'pending', '2026-01-01T00:00:00Z'), c: st('c', 'waiting') })).toBeUndefined();
  });

  it('overdue strictly after the due instant, and only while the clock runs', () => {
    const due = '2026-01-01T00:00:00.000Z';
    expect(isStepOverdue(st('a', 'waiting', due), due)).toBe(false);
    expect(isStepOverdue(st('a', 'waiting', due), '2026-01-01T00:00:00.001Z')).toBe(true);
    expect(isStepOverdue(st('a', 'needs_attention', due), '2027-01-01T00:00:00Z')).toBe(true);
    expect(isStepOverdue(st('a', 'running', due), '2027-01-01T00:00:00Z')).toBe(true);
    expect(isStepOverdue(st('a', 'skipped', due), '2027-01-01T00:00:00Z')).toBe(false);
  });
});

describe('JSON pointer segments', () => {
  it('escapes ~ before /, so a literal ~1 stays readable', () => {
    expect(pointerSegment('a/b~c')).toBe('a~1b~0c');
    expect(pointerSegment('~1')).toBe('~01');
    expect(pointerSegment(3)).toBe('3');
  });
});
