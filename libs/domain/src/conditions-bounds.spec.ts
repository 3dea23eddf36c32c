import { referencedSteps, stepsContext, tryEvaluateCondition, validateCondition, type ConditionContext } from './conditions';

const ctx = (data: Record<string, unknown> = {}): ConditionContext => ({ data, subject: { type: 'person', id: '1' }, steps: {} });
const nested = (depth: number): unknown => (depth === 0 ? true : { '!': [nested(depth - 1)] });

describe('condition bounds', () => {
  it('names the argument range of operators with both bounds, and counts what was given', () => {
    expect(validateCondition({ '<': [1, 2, 3, 4] }, '/c')).toEqual([{ path: '/c/<', message: "'<' takes 2 to 3 arguments, got 4" }]);
    expect(validateCondition({ '<': [1, 2, 3] }, '/c')).toEqual([]);
    expect(validateCondition({ var: ['data.a', 1, 2] }, '/c')).toEqual([{ path: '/c/var', message: "'var' takes 1 to 2 arguments, got 3" }]);
    expect(validateCondition({ and: [] }, '/c')).toEqual([{ path: '/c/and', message: "'and' takes at least 1 argument, got 0" }]);
    expect(validateCondition({ '/': [1] }, '/c')).toEqual([{ path: '/c/~1', message: "'/' takes 2 arguments, got 1" }]);
  });

  it('refuses nesting deeper than 64 levels, at the level where it goes too deep', () => {
    expect(validateCondition(nested(64))).toEqual([]);
    const problems = validateCondition(nested(70), '/c');
    expect(problems).toEqual([{ path: `/c${'/!/0'.repeat(65)}`, message: 'the condition is nested more than 64 levels deep; simplify it' }]);
    // Lists count as a level too.
    expect(validateCondition([[[true]]])).toEqual([]);
    expect(validateCondition(JSON.parse(`${'['.repeat(66)}${']'.repeat(66)}`))[0].message).toBe('the condition is nested more than 64 levels deep; simplify it');
  });

  it('a unary operator without a list: its argument is at the operator’s own path', () => {
    expect(validateCondition({ '!': { var: 'x.y' } }, '/c')).toEqual([{ path: '/c/!/var', message: expect.stringContaining("'x.y' must start with data.") }]);
    expect(validateCondition({ '!': [{ var: 'x.y' }] }, '/c')).toEqual([{ path: '/c/!/0/var', message: expect.stringContaining("'x.y' must start with data.") }]);
  });

  it('inside an iterator, paths are the element’s (any name, the element itself, an index); outside, rooted', () => {
    expect(validateCondition({ some: [{ var: 'data.children' }, { '<': [{ var: 'age' }, 3] }] })).toEqual([]);
    expect(validateCondition({ map: [{ var: 'data.list' }, { var: '' }] })).toEqual([]);
    expect(validateCondition({ filter: [{ var: 'data.list' }, { var: 0 }] })).toEqual([]);
    expect(validateCondition({ all: [{ var: 'age' }, true] }, '/c')).toEqual([{ path: '/c/all/0/var', message: expect.stringContaining("'age' must start with") }]);
    // Still no prototype segments nor empty segments in the element's paths.
    expect(validateCondition({ some: [{ var: 'data.l' }, { var: 'a.__proto__' }] }, '/c')).toEqual([{ path: '/c/some/1/var', message: "'a.__proto__' may not use __proto__, prototype or constructor" }]);
    expect(validateCondition({ some: [{ var: 'data.l' }, { var: 'a..b' }] }, '/c')).toEqual([{ path: '/c/some/1/var', message: "'a..b' is not a dotted path: remove the empty segment" }]);
    expect(validateCondition({ var: '' }, '/c')).toEqual([{ path: '/c/var', message: 'var needs a path starting with data., subject., steps.' }]);
  });

  it('missing_some: a whole, non-negative count', () => {
    const count = (n: unknown) => validateCondition({ missing_some: [n, ['data.a']] }, '/c').map((p) => p.path);
    expect(count(0)).toEqual([]);
    expect(count(-1)).toEqual(['/c/missing_some/0']);
    expect(count(1.5)).toEqual(['/c/missing_some/0']);
    expect(validateCondition({ missing: [['data.a', 'x.b']] }, '/c')).toEqual([{ path: '/c/missing/0/1', message: expect.stringContaining("'x.b' must start with") }]);
    expect(validateCondition({ missing: ['data.a', 'x.b'] }, '/c')).toEqual([{ path: '/c/missing/1', message: expect.stringContaining("'x.b' must start with") }]);
  });

  it('the default value of var is checked like any argument', () => {
    expect(validateCondition({ var: ['data.a', { frob: 1 }] }, '/c')).toEqual([{ path: '/c/var/1/frob', message: expect.stringMatching(/^unknown operator 'frob'/) }]);
    expect(validateCondition({ var: ['data.a', 3] }, '/c')).toEqual([]);
  });

  it('subject paths: the subject itself, its type and id; step paths: a step, its status and outcome (and deeper in the outcome)', () => {
    for (const ok of ['subject', 'subject.id', 'subject.type', 'steps.a', 'steps.a.status', 'steps.a.outcome', 'steps.a.outcome.result']) expect([ok, validateCondition({ var: ok })]).toEqual([ok, []]);
  });
});

describe('steps a condition reads', () => {
  it('finds steps in var and in missing lists, not inside iterators, once each', () => {
    expect(referencedSteps({ and: [{ var: 'steps.a.status' }, { var: ['steps.b.outcome', { var: 'steps.c' }] }, { missing: ['steps.d', 'data.x'] }, { missing_some: [1, ['steps.e']] }, { var: 'steps.a' }] }).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(referencedSteps({ some: [{ var: 'steps.f.outcome' }, { var: 'steps.g' }] })).toEqual(['f']);
    expect(referencedSteps({ missing: 'steps.h' })).toEqual(['h']);
    expect(referencedSteps({ var: 'steps.' })).toEqual([]);
    expect(referencedSteps({ var: 'data.steps.x' })).toEqual([]);
    expect(referencedSteps('steps.x')).toEqual([]);
  });
});

describe('evaluating on data of the wrong shape', () => {
  it('an exception from the data is an error, never a throw', () => {
    const data = Object.defineProperty({}, 'boom', { get: () => { throw new Error('bad data'); }, enumerable: true });
    expect(tryEvaluateCondition({ var: 'data.boom' }, ctx(data))).toEqual({ value: false, error: "the condition could not be evaluated on this journey's data: bad data" });
    const plain = Object.defineProperty({}, 'boom', { get: () => { throw 'plain'; }, enumerable: true });
    expect(tryEvaluateCondition({ var: 'data.boom' }, ctx(plain))).toEqual({ value: false, error: "the condition could not be evaluated on this journey's data: plain" });
  });

  it('an invalid condition says where, and a top-level problem has no path to name', () => {
    expect(tryEvaluateCondition({ a: 1, b: 2 }, ctx())).toEqual({ value: false, error: "the condition is not valid: a JSONLogic operation is an object with exactly one operator key (got 'a', 'b')" });
    expect(tryEvaluateCondition({ var: 'x' }, { event: { x: 1 } }, ['event'])).toEqual({ value: false, error: "the condition is not valid: /var: 'x' must start with event." });
    expect(tryEvaluateCondition({ var: 'event.x' }, { event: { x: 1 } }, ['event'])).toEqual({ value: true });
  });

  it('JSONLogic truthiness: an empty list is false, a non-empty one true', () => {
    expect(tryEvaluateCondition({ var: 'data.l' }, ctx({ l: [] }))).toEqual({ value: false });
    expect(tryEvaluateCondition({ var: 'data.l' }, ctx({ l: [0] }))).toEqual({ value: true });
    expect(tryEvaluateCondition({ var: 'data.missing' }, ctx())).toEqual({ value: false });
  });
});

describe('the steps of the context', () => {
  it('per step its status and outcome, null when there is none', () => {
    expect(stepsContext({ a: { key: 'a', agency: 'x', kind: 'citizen', status: 'completed', attempts: 0, outcome: { result: 'approved' } }, b: { key: 'b', agency: 'x', kind: 'automatic', status: 'pending', attempts: 0 } })).toEqual({
      a: { status: 'completed', outcome: { result: 'approved' } },
      b: { status: 'pending', outcome: null },
    });
  });
});
