import type { StepState } from './model';
import {
  decidersOf,
  dependantsOf,
  fileObjectionError,
  objectionTermEnd,
  outcomeAfterReview,
  rerunState,
  reviewObjectionError,
  validateObjectionPolicy,
  type ObjectionState,
} from './objections';
import { validateStepDefinition } from './validation';

const decided = (over: Partial<StepState> = {}): StepState => ({
  key: 'decide',
  agency: 'groeipakket',
  kind: 'decision',
  status: 'completed',
  attempts: 0,
  completedAt: '2026-01-01T10:00:00.000Z',
  decision: { outcome: 'deny', ruleId: 'startbedrag', ruleVersion: 2 },
  outcome: { result: 'rejected' },
  ...over,
});
const policy = { term: 'P30D' };
const filed: ObjectionState = {
  status: 'filed',
  by: '85073003328',
  reason: 'wrong',
  filedAt: '2026-01-05T00:00:00.000Z',
  termEndsAt: '2026-01-31T10:00:00.000Z',
  reviewingAgency: 'groeipakket',
  against: 'deny',
};

describe('objection term', () => {
  it('runs from the decision’s completion for the declared term', () => {
    expect(objectionTermEnd('2026-01-01T10:00:00.000Z', policy)).toBe('2026-01-31T10:00:00.000Z');
  });

  it('accepts an objection with a reason within the term, up to its last instant', () => {
    expect(fileObjectionError({ decide: decided() }, { nodeKey: 'decide', reason: 'My child lives with me', by: 'p' }, policy, '2026-01-20T00:00:00.000Z')).toBeUndefined();
    expect(fileObjectionError({ decide: decided() }, { nodeKey: 'decide', reason: 'x', by: 'p' }, policy, '2026-01-31T10:00:00.000Z')).toBeUndefined();
  });

  it('refuses after the term, saying the term and when it ended', () => {
    expect(fileObjectionError({ decide: decided() }, { nodeKey: 'decide', reason: 'late', by: 'p' }, policy, '2026-01-31T10:00:00.001Z')).toBe(
      'The term to object to this decision (P30D) ended on 2026-01-31T10:00:00.000Z; an objection is no longer possible.',
    );
  });

  it('refuses without a reason, without a term declared, before the decision is final, a referral, and a second objection', () => {
    const now = '2026-01-02T00:00:00.000Z';
    expect(fileObjectionError({ decide: decided() }, { nodeKey: 'decide', reason: '  ', by: 'p' }, policy, now)).toMatch(/needs a reason/);
    expect(fileObjectionError({ decide: decided() }, { nodeKey: 'decide', reason: 'r', by: 'p' }, undefined, now)).toMatch(/declares no objection term/);
    expect(fileObjectionError({ decide: decided({ status: 'running' }) }, { nodeKey: 'decide', reason: 'r', by: 'p' }, policy, now)).toMatch(/not final yet/);
    expect(fileObjectionError({ decide: decided({ decision: { outcome: 'refer', ruleId: 'r', ruleVersion: 1 }, status: 'waiting' }) }, { nodeKey: 'decide', reason: 'r', by: 'p' }, policy, now)).toMatch(/not final/);
    expect(fileObjectionError({ decide: decided({ objection: filed }) }, { nodeKey: 'decide', reason: 'r', by: 'p' }, policy, now)).toMatch(/already filed/);
    expect(fileObjectionError({ decide: decided() }, { nodeKey: 'nope', reason: 'r', by: 'p' }, policy, now)).toMatch(/no step 'nope'/);
    expect(fileObjectionError({ pay: { ...decided(), kind: 'automatic', decision: undefined, key: 'pay' } }, { nodeKey: 'pay', reason: 'r', by: 'p' }, policy, now)).toMatch(/no decision/);
  });
});

describe('four eyes on the review', () => {
  const review = (by: string, verdict = 'grant', explanation: Record<string, string> = { nl: 'Het kind woont bij u.' }) => ({ nodeKey: 'decide', verdict, explanation, by });

  it('refuses the caseworker who decided a referral or overrode the decision', () => {
    const steps = { decide: decided({ objection: filed, status: 'waiting', outcome: { result: 'rejected', by: 'cw-anna' }, decidedBy: ['cw-bert'] }) };
    expect(reviewObjectionError(steps, review('cw-anna'))).toMatch(/^Four eyes: cw-anna decided or overrode/);
    expect(reviewObjectionError(steps, review('cw-bert'))).toMatch(/^Four eyes: cw-bert/);
    expect(reviewObjectionError(steps, review('cw-carla'))).toBeUndefined();
    expect(decidersOf(steps.decide)).toEqual(['cw-bert', 'cw-anna']);
  });

  it('needs a filed objection, a known verdict and an explanation in a language of the citizen', () => {
    const steps = { decide: decided({ objection: filed, status: 'waiting' }) };
    expect(reviewObjectionError({ decide: decided() }, review('c'))).toMatch(/no objection to review/);
    expect(reviewObjectionError({ decide: decided({ objection: { ...filed, status: 'upheld' } }) }, review('c'))).toMatch(/no objection to review/);
    expect(reviewObjectionError(steps, review('c', 'maybe'))).toBe('verdict must be uphold, grant, deny.');
    expect(reviewObjectionError(steps, review('c', 'uphold', {}))).toMatch(/at least one of nl, fr, de, en/);
    expect(reviewObjectionError(steps, review('c', 'uphold', { xx: 'text' }))).toMatch(/at least one/);
    expect(reviewObjectionError(steps, review('c', 'uphold', { fr: 'La décision est maintenue.' }))).toBeUndefined();
  });

  it('keeps the decision when upheld and changes it when revised', () => {
    expect(outcomeAfterReview('deny', 'uphold')).toBe('deny');
    expect(outcomeAfterReview('deny', 'grant')).toBe('grant');
  });
});

describe('dependants of a decision', () => {
  const nodes = [
    { key: 'decide' },
    { key: 'pay', dependsOn: ['decide'] },
    { key: 'letter', dependsOn: ['pay'] },
    { key: 'appeal-info', condition: { '==': [{ var: 'steps.decide.outcome.result' }, 'rejected'] } },
    { key: 'unrelated' },
    { key: 'after-unrelated', dependsOn: ['unrelated'] },
  ];

  it('are what comes after it, what reads its outcome in a condition, and what comes after those', () => {
    expect(dependantsOf(nodes, 'decide')).toEqual(['pay', 'letter', 'appeal-info']);
    expect(dependantsOf(nodes, 'letter')).toEqual([]);
  });

  it('start again from pending, counting their runs', () => {
    const again = rerunState({ key: 'pay', agency: 'a', kind: 'automatic', status: 'completed', attempts: 2, outcome: { result: 'done' }, completedAt: 'x' });
    expect(again).toEqual({ key: 'pay', agency: 'a', kind: 'automatic', status: 'pending', attempts: 0, reruns: 1 });
    expect(rerunState(again).reruns).toBe(2);
  });
});

describe('the objection a step declares', () => {
  it('is a term and optionally a reviewing agency, on decision steps only', () => {
    expect(validateObjectionPolicy({ term: 'P30D', reviewingAgency: 'beroep' }, 'decision')).toEqual([]);
    expect(validateObjectionPolicy(undefined, 'automatic')).toEqual([]);
    expect(validateObjectionPolicy({ term: 'P30D' }, 'caseworker')).toEqual([{ path: '/objection', message: 'only decision steps can be objected to; a caseworker step must not declare an objection term' }]);
    expect(validateObjectionPolicy({ term: '30 days', reviewingAgency: 'Bad Agency', extra: 1 }, 'decision').map((p) => p.path)).toEqual(['/objection/term', '/objection/reviewingAgency', '/objection/extra']);
    expect(validateObjectionPolicy('P30D', 'decision')[0].path).toBe('/objection');
  });

  it('is checked with the rest of the step', () => {
    const problems = validateStepDefinition({
      agency: 'a',
      key: 'pay',
      kind: 'caseworker',
      titles: { nl: 'Betalen' },
      serviceNorm: { target: 'P5D' },
      objection: { term: 'P30D' },
    });
    expect(problems.map((p) => p.path)).toContain('/objection');
  });
});
