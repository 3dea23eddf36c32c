import type { StepState } from './model';
import { appealAgencyOf, appealDecisionAccess, appealExcluded, appealTermEnd, decideAppealError, fileAppealError, validateAppealPolicy, type AppealState } from './appeals';
import { validateObjectionPolicy, type ObjectionState } from './objections';
import { openTaskOf, closedTaskOf } from './tasks';
import { completeTaskError } from './journey-updates';

const upheld: ObjectionState = {
  status: 'upheld',
  by: '85073003328',
  reason: 'wrong',
  filedAt: '2026-01-05T00:00:00.000Z',
  termEndsAt: '2026-01-31T10:00:00.000Z',
  reviewingAgency: 'groeipakket',
  against: 'deny',
  reviewedBy: 'cw-bert',
  reviewedAt: '2026-01-10T00:00:00.000Z',
  verdict: 'uphold',
};
const decided = (over: Partial<StepState> = {}): StepState => ({
  key: 'decide',
  agency: 'groeipakket',
  kind: 'decision',
  status: 'completed',
  attempts: 0,
  completedAt: '2026-01-10T00:00:00.000Z',
  decision: { outcome: 'deny', ruleId: 'startbedrag', ruleVersion: 2 },
  outcome: { result: 'rejected', by: 'cw-anna' },
  objection: upheld,
  ...over,
});
const appealed: AppealState = { status: 'filed', by: '85073003328', reason: 'still wrong', filedAt: '2026-01-12T00:00:00.000Z', termEndsAt: '2026-02-09T00:00:00.000Z', agency: 'appeals-board', against: 'deny' };
const policy = { term: 'P30D' };
const file = (step: StepState, at = '2026-01-20T00:00:00.000Z', reason = 'The review missed my payslips.') => fileAppealError({ decide: step }, { nodeKey: 'decide', reason, by: '85073003328' }, policy, at);

describe('the appeal policy', () => {
  it('is part of an objection: a term, optionally an agency; nothing else', () => {
    expect(validateAppealPolicy({ term: 'P30D', agency: 'appeals-board' })).toEqual([]);
    expect(validateObjectionPolicy({ term: 'P30D', appeal: { term: 'P60D' } }, 'decision')).toEqual([]);
    expect(validateObjectionPolicy({ term: 'P30D', appeal: { term: 'soon', agency: 'Board!', court: 'x' } }, 'decision').map((p) => p.path)).toEqual([
      '/objection/appeal/term',
      '/objection/appeal/agency',
      '/objection/appeal/court',
    ]);
    expect(validateObjectionPolicy({ term: 'P30D', appeal: 'yes' }, 'decision')).toEqual([expect.objectContaining({ path: '/objection/appeal' })]);
  });

  it('goes to the declared agency, else to the reviewing one, else to the deciding one', () => {
    expect(appealAgencyOf({ reviewingAgency: 'review', appeal: { term: 'P1D', agency: 'board' } }, 'decider')).toBe('board');
    expect(appealAgencyOf({ reviewingAgency: 'review', appeal: { term: 'P1D' } }, 'decider')).toBe('review');
    expect(appealAgencyOf({ appeal: { term: 'P1D' } }, 'decider')).toBe('decider');
  });
});

describe('filing an appeal', () => {
  it('runs its term from the objection’s review', () => {
    expect(appealTermEnd('2026-01-10T00:00:00.000Z', policy)).toBe('2026-02-09T00:00:00.000Z');
  });

  it('is possible after an upheld objection, within the term, with a reason', () => {
    expect(file(decided())).toBeUndefined();
    expect(file(decided(), '2026-02-09T00:00:01.000Z')).toBe('The term to appeal this decision (P30D) ended on 2026-02-09T00:00:00.000Z; an appeal is no longer possible.');
    expect(file(decided(), undefined, '  ')).toMatch(/needs a reason/);
  });

  it('is refused without an upheld objection, twice, or where no appeal is declared', () => {
    expect(file(decided({ objection: undefined }))).toMatch(/after an objection that was upheld/);
    expect(file(decided({ objection: { ...upheld, status: 'revised', verdict: 'grant' } }))).toMatch(/after an objection that was upheld/);
    expect(file(decided({ appeal: appealed }))).toMatch(/already filed on 2026-01-12/);
    expect(fileAppealError({ decide: decided() }, { nodeKey: 'decide', reason: 'x', by: 'x' }, undefined, '2026-01-20T00:00:00.000Z')).toMatch(/declares no appeal/);
    expect(fileAppealError({}, { nodeKey: 'nope', reason: 'x', by: 'x' }, policy, '2026-01-20T00:00:00.000Z')).toMatch(/no step 'nope'/);
  });
});

describe('deciding an appeal', () => {
  const decide = (by: string, verdict = 'grant', explanation: Record<string, string> = { en: 'Your payslips show it.' }) =>
    decideAppealError({ decide: decided({ status: 'waiting', waitingFor: 'appeal', appeal: appealed }) }, { nodeKey: 'decide', verdict, explanation, by });

  it('four eyes: not who decided, overrode or reviewed the objection', () => {
    expect(appealExcluded(decided())).toEqual(['cw-anna', 'cw-bert']);
    expect(decide('cw-anna')).toMatch(/^Four eyes: cw-anna/);
    expect(decide('cw-bert')).toMatch(/^Four eyes: cw-bert/);
    expect(decide('cw-carla')).toBeUndefined();
  });

  it('needs a verdict and an explanation in one of the four languages, and an appeal that is filed', () => {
    expect(decide('cw-carla', 'maybe')).toMatch(/verdict must be/);
    expect(decide('cw-carla', 'uphold', { en: '  ', xx: 'text' })).toMatch(/at least one of nl, fr, de, en/);
    expect(decideAppealError({ decide: decided() }, { nodeKey: 'decide', verdict: 'grant', explanation: { en: 'x' }, by: 'cw-carla' })).toMatch(/no appeal to decide/);
  });

  it('only a caseworker of the appeal agency decides', () => {
    expect(appealDecisionAccess({ sub: 'cw', roles: ['caseworker'], agency: 'appeals-board' }, 'appeals-board')).toEqual({ kind: 'allow', as: 'caseworker' });
    expect(appealDecisionAccess({ sub: 'cw', roles: ['caseworker'], agency: 'groeipakket' }, 'appeals-board')).toMatchObject({ kind: 'deny', refusal: { kind: 'forbidden' } });
  });
});

describe('the appeal task', () => {
  it('is a caseworker task of the appeal agency, closed with who decided; not completed as a plain task', () => {
    const waiting = decided({ status: 'waiting', waitingFor: 'appeal', appeal: appealed });
    expect(openTaskOf('j1', waiting)).toEqual({ id: 'j1.decide.appeal', purpose: 'appeal', assignee: 'caseworker', fields: null, agency: 'appeals-board' });
    expect(closedTaskOf(decided({ appeal: { ...appealed, status: 'revised', decidedBy: 'cw-carla', verdict: 'grant' } })).answers?.appeal).toEqual({ by: 'cw-carla', data: { verdict: 'grant' } });
    expect(completeTaskError({ decide: waiting }, { nodeKey: 'decide', outcome: 'approve', by: 'cw-carla' } as never)).toMatch(/under appeal/);
  });
});
