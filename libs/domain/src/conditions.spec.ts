import { evaluateCondition, referencedSteps, stepsContext, tryEvaluateCondition, validateCondition, type ConditionContext } from './conditions';
import type { StepState } from './model';

const ctx: ConditionContext = {
  data: { activity: { servesAlcohol: true }, employees: 3, list: 42, odd: { indexOf: 'not a function' }, children: [{ age: 2 }, { age: 7 }] },
  subject: { type: 'person', id: '85073003328' },
  steps: { register: { status: 'completed', outcome: { result: 'approved' } } },
};
const messages = (cond: unknown) => validateCondition(cond, '/c').map((p) => `${p.path} ${p.message}`);

describe('evaluateCondition', () => {
  it('is true or false over data, subject and steps', () => {
    expect(evaluateCondition({ '==': [{ var: 'data.activity.servesAlcohol' }, true] }, ctx)).toBe(true);
    expect(evaluateCondition({ '>': [{ var: 'data.employees' }, 5] }, ctx)).toBe(false);
    expect(evaluateCondition({ and: [{ '==': [{ var: 'steps.register.outcome.result' }, 'approved'] }, { '==': [{ var: 'subject.type' }, 'person'] }] }, ctx)).toBe(true);
    expect(evaluateCondition({ some: [{ var: 'data.children' }, { '<': [{ var: 'age' }, 3] }] }, ctx)).toBe(true);
    expect(evaluateCondition({ all: [{ var: 'data.children' }, { '<': [{ var: 'age' }, 3] }] }, ctx)).toBe(false);
  });

  it('uses JSONLogic truthiness (an empty list is false)', () => {
    expect(evaluateCondition({ var: 'data.activity' }, ctx)).toBe(true);
    expect(evaluateCondition({ merge: [] }, ctx)).toBe(false);
    expect(evaluateCondition({ missing: ['data.employees', 'data.nope'] }, ctx)).toBe(true);
  });

  it('treats missing data as absent, not as an error', () => {
    expect(tryEvaluateCondition({ '==': [{ var: 'data.unknown.path' }, true] }, ctx)).toEqual({ value: false });
    expect(tryEvaluateCondition({ '==': [{ var: ['data.unknown', 'fallback'] }, 'fallback'] }, ctx)).toEqual({ value: true });
  });

  it('never throws on data of the wrong shape: false with the error', () => {
    const result = tryEvaluateCondition({ in: ['a', { var: 'data.odd' }] }, ctx);
    expect(result.value).toBe(false);
    expect(result.error).toMatch(/could not be evaluated on this journey's data: .*indexOf/);
    expect(evaluateCondition({ '!': { in: ['a', { var: 'data.odd' }] } }, ctx)).toBe(false);
    expect(tryEvaluateCondition({ in: ['a', { var: 'data.list' }] }, ctx)).toEqual({ value: false }); // a number has no members
  });

  it('refuses to evaluate a condition that is not valid, even if JSONLogic knows the operator', () => {
    const result = tryEvaluateCondition({ log: 'hello' }, ctx);
    expect(result).toEqual({ value: false, error: expect.stringMatching(/unknown operator 'log'/) });
    expect(tryEvaluateCondition({ '==': [{ var: 'data.constructor' }, null] }, ctx).error).toMatch(/constructor/);
  });

  it('builds the steps context from step states', () => {
    const states: Record<string, StepState> = { a: { key: 'a', agency: 'x', kind: 'citizen', status: 'completed', attempts: 0, outcome: { result: 'rejected' } } };
    expect(stepsContext(states)).toEqual({ a: { status: 'completed', outcome: { result: 'rejected' } } });
  });
});

describe('validateCondition', () => {
  it('accepts well-formed conditions', () => {
    expect(validateCondition({ '==': [1, 1] })).toEqual([]);
    expect(validateCondition(true)).toEqual([]);
    expect(validateCondition({ '!': { var: 'data.x' } })).toEqual([]);
    expect(validateCondition({ '<': [1, { var: 'data.age' }, 18] })).toEqual([]);
    expect(validateCondition({ if: [{ var: 'steps.a.status' }, 'x', { var: 'subject.id' }] })).toEqual([]);
    expect(validateCondition({ reduce: [{ var: 'data.amounts' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] })).toEqual([]);
    expect(validateCondition({ missing_some: [1, ['data.email', 'data.phone']] })).toEqual([]);
  });

  it('refuses unknown operators, with the path to them', () => {
    expect(messages({ and: [true, { exec: ['rm -rf'] }] })).toEqual([expect.stringMatching(/^\/c\/and\/1\/exec unknown operator 'exec'/)]);
    expect(messages({ '/': [1, { frob: 1 }] })[0]).toMatch(/^\/c\/~1\/1\/frob /);
  });

  it('refuses wrong shapes', () => {
    expect(messages({ '==': [1, 1], '!=': [1, 2] })).toEqual([expect.stringMatching(/exactly one operator key/)]);
    expect(messages({})).toEqual([expect.stringMatching(/empty object/)]);
    expect(messages({ '==': [1] })).toEqual([expect.stringMatching(/'==' takes 2 arguments, got 1/)]);
    expect(messages({ some: [{ var: 'data.list' }] })).toEqual([expect.stringMatching(/'some' takes 2 arguments/)]);
    expect(messages({ missing_some: ['one', ['data.a']] })).toEqual([expect.stringMatching(/whole number/)]);
    expect(messages({ '==': [Infinity, 1] })).toEqual([expect.stringMatching(/finite/)]);
  });

  it('requires literal var paths under data., subject. or steps.', () => {
    expect(messages({ var: 'process.env' })).toEqual([expect.stringMatching(/must start with data\., subject\. or steps\./)]);
    expect(messages({ var: '' })).toEqual([expect.stringMatching(/needs a path/)]);
    expect(messages({ var: { var: 'data.field' } })).toEqual([expect.stringMatching(/literal dotted path/)]);
    expect(messages({ var: 42 })).toEqual([expect.stringMatching(/literal dotted path/)]);
    expect(messages({ var: 'data..x' })).toEqual([expect.stringMatching(/empty segment/)]);
    expect(messages({ var: 'data.__proto__.x' })).toEqual([expect.stringMatching(/__proto__/)]);
    expect(messages({ var: 'subject.name' })).toEqual([expect.stringMatching(/subject\.type and subject\.id/)]);
    expect(messages({ var: 'steps.register.state' })).toEqual([expect.stringMatching(/status and steps\.register\.outcome/)]);
    expect(messages({ missing: ['data.a', 'env.HOME'] })).toEqual([expect.stringMatching(/^\/c\/missing\/1 'env\.HOME' must start/)]);
  });

  it('reads var relative to the element inside iterators only', () => {
    expect(validateCondition({ some: [{ var: 'data.list' }, { '==': [{ var: 'kind' }, 'x'] }] })).toEqual([]);
    expect(validateCondition({ map: [{ var: 'data.list' }, { var: '' }] })).toEqual([]);
    expect(messages({ some: [{ var: 'list' }, true] })).toEqual([expect.stringMatching(/'list' must start with/)]);
    expect(messages({ reduce: [{ var: 'data.x' }, { var: 'current' }, { var: 'initial' }] })).toEqual([expect.stringMatching(/'initial' must start with/)]);
  });

  it('limits nesting', () => {
    let deep: unknown = true;
    for (let i = 0; i < 100; i++) deep = { '!': [deep] };
    expect(messages(deep)).toEqual([expect.stringMatching(/nested more than/)]);
  });
});

describe('referencedSteps', () => {
  it('lists the steps a condition reads, outside iterator scopes', () => {
    const cond = { and: [{ var: 'steps.a.status' }, { var: ['steps.b.outcome', null] }, { var: 'data.x' }, { missing: ['steps.c.outcome'] }, { some: [{ var: 'data.l' }, { var: 'steps.not-a-step' }] }] };
    expect(referencedSteps(cond).sort()).toEqual(['a', 'b', 'c']);
  });
});
