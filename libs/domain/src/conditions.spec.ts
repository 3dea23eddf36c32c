import { evaluateCondition, referencedSteps, tryEvaluateCondition, validateCondition } from './conditions';
import { addDuration, durationToMs, isValidDuration } from './durations';

const ctx = { data: { activity: { servesAlcohol: true }, employees: 3 }, subject: { type: 'person', id: '1' }, steps: { register: { status: 'completed', outcome: { result: 'done' } } } };

describe('conditions', () => {
  it('evaluates JSONLogic over data, subject and steps', () => {
    expect(evaluateCondition({ '==': [{ var: 'data.activity.servesAlcohol' }, true] }, ctx)).toBe(true);
    expect(evaluateCondition({ '>': [{ var: 'data.employees' }, 5] }, ctx)).toBe(false);
    expect(evaluateCondition({ and: [{ '==': [{ var: 'steps.register.status' }, 'completed'] }, { '==': [{ var: 'subject.type' }, 'person'] }] }, ctx)).toBe(true);
  });

  it('treats missing data as false, not as an error', () => {
    expect(tryEvaluateCondition({ '==': [{ var: 'data.unknown.path' }, true] }, ctx)).toEqual({ value: false });
  });

  it('refuses unknown operators, bad shapes and variables outside the context', () => {
    expect(validateCondition({ '==': [1, 1] })).toEqual([]);
    expect(validateCondition({ exec: ['rm -rf'] })[0].message).toMatch(/unknown operator 'exec'/);
    expect(validateCondition({ '==': [1, 1], '!=': [1, 2] })[0].message).toMatch(/exactly one operator/);
    expect(validateCondition({ var: 'process.env' })[0].message).toMatch(/data\., subject\. or steps\./);
    expect(validateCondition({ some: [{ var: 'data.list' }, { '==': [{ var: 'kind' }, 'x'] }] })).toEqual([]);
  });

  it('lists the steps a condition reads', () => {
    expect(referencedSteps({ and: [{ var: 'steps.a.status' }, { var: ['steps.b.outcome', null] }, { var: 'data.x' }] }).sort()).toEqual(['a', 'b']);
  });
});

describe('durations', () => {
  it('parses ISO-8601 durations', () => {
    expect(durationToMs('PT1S')).toBe(1000);
    expect(durationToMs('P1DT2H')).toBe(26 * 3_600_000);
    expect(durationToMs('PT0.5S')).toBe(500);
    expect(addDuration('2026-01-01T00:00:00.000Z', 'P1M')).toBe('2026-01-31T00:00:00.000Z');
  });
  it('refuses invalid, empty and negative durations', () => {
    for (const bad of ['', 'P', 'PT', '5 days', 'P-1D', 'PT0S', 42]) expect(isValidDuration(bad)).toBe(false);
    expect(() => durationToMs('nope')).toThrow(/ISO-8601/);
  });
});
