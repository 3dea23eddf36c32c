import { compensationsFromTimeline, completeCompensationError, resolveCompensationError, stepsToCompensate, validateCompensation } from './compensation';
import type { LifeEventSnapshot, StepState } from './model';

const node = (key: string, compensation?: object) => ({
  key,
  step: { agency: 'a', key, version: 1 },
  definition: { agency: 'a', key, kind: 'automatic' as const, version: 1, titles: { nl: key }, serviceNorm: { target: 'P1D' }, endpoint: 'https://a.example/x', ...(compensation ? { compensation } : {}) },
});
const snap = (nodes: ReturnType<typeof node>[]): LifeEventSnapshot => ({ key: 'le', version: 1, audience: 'citizen', titles: { nl: 'le' }, nodes });
const state = (key: string, status: StepState['status'], completedAt?: string, extra: Partial<StepState> = {}): StepState => ({ key, agency: 'a', kind: 'automatic', status, attempts: 1, ...(completedAt ? { completedAt } : {}), ...extra });
const noUrlProblems = () => [];

describe('compensation', () => {
  it('undoes completed steps that declare how, latest completion first (same instant: later node first)', () => {
    const s = snap([node('a', { endpoint: 'https://a.example/u' }), node('b', { task: {} }), node('c', { endpoint: 'https://a.example/u' }), node('d'), node('e', { task: {} })]);
    const steps = {
      a: state('a', 'completed', '2026-01-01T10:00:00.000Z'),
      b: state('b', 'completed', '2026-01-01T11:00:00.000Z'),
      c: state('c', 'completed', '2026-01-01T11:00:00.000Z'),
      d: state('d', 'completed', '2026-01-01T12:00:00.000Z'),
      e: state('e', 'cancelled', '2026-01-01T12:00:00.000Z'),
    };
    expect(stepsToCompensate(s, steps)).toEqual(['c', 'b', 'a']);
    // A rejected step did nothing; a step already being undone is not undone twice.
    steps.b = state('b', 'completed', '2026-01-01T11:00:00.000Z', { outcome: { result: 'rejected' } });
    steps.c = state('c', 'completed', '2026-01-01T11:00:00.000Z', { compensation: { status: 'done', by: 'endpoint' } });
    expect(stepsToCompensate(s, steps)).toEqual(['a']);
  });

  it('validates the declaration: exactly one way, the endpoint by the endpoint rules', () => {
    expect(validateCompensation(undefined, noUrlProblems)).toEqual([]);
    expect(validateCompensation({ task: {} }, noUrlProblems)).toEqual([]);
    expect(validateCompensation({ endpoint: 'x' }, (_u, path) => [{ path, message: 'bad url' }])).toEqual([{ path: '/compensation/endpoint', message: 'bad url' }]);
    expect(validateCompensation({}, noUrlProblems)[0].path).toBe('/compensation');
    expect(validateCompensation({ endpoint: 'https://a', task: {} }, noUrlProblems)[0].message).toMatch(/exactly one/);
    expect(validateCompensation('undo', noUrlProblems)[0].path).toBe('/compensation');
    expect(validateCompensation({ task: { assignee: 'x' } }, noUrlProblems)[0].path).toBe('/compensation/task/assignee');
    expect(validateCompensation({ url: 'x' }, noUrlProblems)[0].path).toBe('/compensation/url');
  });

  it('accepts a retry or a reasoned give-up of an undoing that needs attention, once', () => {
    const failing = state('a', 'completed', undefined, { compensation: { status: 'needs_attention', by: 'endpoint', error: '503' } });
    expect(resolveCompensationError(failing, { nodeKey: 'a', action: 'retry' }, false)).toBeUndefined();
    expect(resolveCompensationError(failing, { nodeKey: 'a', action: 'retry' }, true)).toMatch(/does not need attention/);
    expect(resolveCompensationError(failing, { nodeKey: 'a', action: 'skip', reason: ' ' }, false)).toMatch(/needs a reason/);
    expect(resolveCompensationError(state('a', 'completed'), { nodeKey: 'a', action: 'retry' }, false)).toMatch(/no compensation/);
  });

  it('accepts the compensation task from its holder only, approve or reject', () => {
    const open = state('a', 'completed', undefined, { compensation: { status: 'waiting', by: 'task', claimedBy: 'cw-1' } });
    expect(completeCompensationError(open, { nodeKey: 'a', outcome: 'approve', by: 'cw-1' })).toBeUndefined();
    expect(completeCompensationError(open, { nodeKey: 'a', outcome: 'approve', by: 'cw-2' })).toMatch(/claimed by cw-1/);
    expect(completeCompensationError(open, { nodeKey: 'a', outcome: 'maybe', by: 'cw-1' })).toMatch(/approve/);
    expect(completeCompensationError(state('a', 'completed'), { nodeKey: 'a', outcome: 'approve' })).toMatch(/not open/);
  });

  it('reads where each undoing stands from the timeline', () => {
    expect(
      compensationsFromTimeline([
        { type: 'journey.compensating', detail: { steps: ['b', 'a'] } },
        { type: 'step.compensating', step: 'b' },
        { type: 'step.compensation_needs_attention', step: 'b', detail: { error: 'down' } },
        { type: 'step.completed', step: 'c' },
      ]),
    ).toEqual({ a: { status: 'pending' }, b: { status: 'needs_attention', error: 'down' } });
  });
});
