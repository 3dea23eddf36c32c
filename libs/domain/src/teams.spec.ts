import { inTeamQueue, journeyAccess, taskClaimAccess, taskCompletionAccess, taskReassignAccess, taskVisibility, type TaskAccessFacts, type Viewer } from './access';
import type { StepState } from './model';
import { applyReassignment, reassignTaskError, teamProblems } from './teams';
import { validateStepDefinition } from './validation';

const waiting = (over: Partial<StepState> = {}): StepState => ({ key: 'review', agency: 'bank', kind: 'caseworker', status: 'waiting', waitingFor: 'task', attempts: 0, ...over });
const cw = (teams?: string[], sub = 'cw-1', agency = 'bank'): Viewer => ({ sub, roles: ['caseworker'], agency, ...(teams ? { teams } : {}) });
const supervisor = (agency = 'bank'): Viewer => ({ sub: `sv-${agency}`, roles: ['supervisor'], agency });
const task = (over: Partial<TaskAccessFacts> = {}): TaskAccessFacts => ({ assignee: 'caseworker', agency: 'bank', subjectId: '85073003328', status: 'open', claimedBy: null, ...over });

describe('a step declares a team queue', () => {
  const step = { agency: 'bank', key: 'review', kind: 'caseworker' as const, titles: { nl: 'Nakijken' }, serviceNorm: { target: 'P5D' } };

  it('accepts a team code on a caseworker or decision step, and no team at all', () => {
    expect(teamProblems({ kind: 'caseworker', team: 'intake-ghent' })).toEqual([]);
    expect(teamProblems({ kind: 'decision', team: 'appeals' })).toEqual([]);
    expect(teamProblems({ kind: 'automatic' })).toEqual([]);
    expect(validateStepDefinition({ ...step, team: 'intake' })).toEqual([]);
  });

  it('refuses a malformed code, and a team on a step no caseworker works', () => {
    for (const team of ['Intake', 'a', '-x', 'x-', 'with space', 7, '']) {
      expect(teamProblems({ kind: 'caseworker', team })).toEqual([{ path: '/team', message: expect.stringMatching(/is not valid: a team code is lowercase/) }]);
    }
    expect(teamProblems({ kind: 'citizen', team: 'intake' })).toEqual([{ path: '/team', message: expect.stringMatching(/only caseworker and decision steps/) }]);
    expect(validateStepDefinition({ ...step, kind: 'automatic', endpoint: 'https://bank.example/x', team: 'intake' }).map((p) => p.path)).toContain('/team');
  });
});

describe('reassigning a task', () => {
  it('moves the task to a caseworker, who then holds it', () => {
    const step = waiting({ claimedBy: 'cw-1', team: 'intake' });
    expect(reassignTaskError({ review: step }, { nodeKey: 'review', caseworker: 'cw-2', by: 'sv' })).toBeUndefined();
    expect(applyReassignment(step, { nodeKey: 'review', caseworker: 'cw-2', by: 'sv', reason: ' on leave ' })).toEqual({ by: 'sv', caseworker: 'cw-2', fromCaseworker: 'cw-1', fromTeam: 'intake', reason: 'on leave' });
    expect(step).toMatchObject({ claimedBy: 'cw-2', team: 'intake' });
  });

  it("moves the task to a team's queue, unclaimed", () => {
    const step = waiting({ claimedBy: 'cw-1' });
    expect(applyReassignment(step, { nodeKey: 'review', team: 'appeals', by: 'sv' })).toEqual({ by: 'sv', team: 'appeals', fromCaseworker: 'cw-1' });
    expect(step).toMatchObject({ claimedBy: null, team: 'appeals' });
  });

  it('refuses a step without an open caseworker task, two targets or none, a bad team, and a move that changes nothing', () => {
    const steps = { review: waiting({ claimedBy: 'cw-1', team: 'intake' }), queue: waiting({ key: 'queue', team: 'intake', claimedBy: null }) };
    expect(reassignTaskError(steps, { nodeKey: 'nope', caseworker: 'x', by: 'sv' })).toMatch(/no step 'nope'/);
    expect(reassignTaskError({ r: waiting({ kind: 'citizen' }) }, { nodeKey: 'r', caseworker: 'x', by: 'sv' })).toMatch(/no caseworker task/);
    expect(reassignTaskError({ r: waiting({ status: 'completed' }) }, { nodeKey: 'r', caseworker: 'x', by: 'sv' })).toMatch(/not open \(step is completed\)/);
    expect(reassignTaskError({ r: waiting({ waitingFor: 'consent' }) }, { nodeKey: 'r', caseworker: 'x', by: 'sv' })).toMatch(/not open/);
    expect(reassignTaskError(steps, { nodeKey: 'review', caseworker: 'x', team: 'intake', by: 'sv' })).toMatch(/not both and not neither/);
    expect(reassignTaskError(steps, { nodeKey: 'review', caseworker: ' ', by: 'sv' })).toMatch(/not both and not neither/);
    expect(reassignTaskError(steps, { nodeKey: 'review', team: 'Bad Team', by: 'sv' })).toMatch(/is not valid/);
    expect(reassignTaskError(steps, { nodeKey: 'review', caseworker: 'cw-1', by: 'sv' })).toMatch(/already with cw-1/);
    expect(reassignTaskError(steps, { nodeKey: 'queue', team: 'intake', by: 'sv' })).toMatch(/already in the queue of team intake/);
    // The same team, but held by someone: back to the queue is a change.
    expect(reassignTaskError(steps, { nodeKey: 'review', team: 'intake', by: 'sv' })).toBeUndefined();
  });
});

describe('who sees, claims and reassigns a task of a team queue', () => {
  it("a caseworker's queue: tasks of no team, of their teams, and what they hold", () => {
    expect(inTeamQueue(cw(), task())).toBe(true);
    expect(inTeamQueue(cw(['intake']), task({ team: 'intake' }))).toBe(true);
    expect(inTeamQueue(cw(['appeals']), task({ team: 'intake' }))).toBe(false);
    expect(inTeamQueue(cw([], 'cw-9'), task({ team: 'intake', claimedBy: 'cw-9' }))).toBe(true);
    expect(taskVisibility(cw(['appeals']), task({ team: 'intake' }))).toEqual({ kind: 'deny' });
    expect(taskVisibility(cw(['intake']), task({ team: 'intake' }))).toEqual({ kind: 'allow', as: 'caseworker' });
  });

  it('a caseworker claims only in their queue; another team is told to ask a supervisor', () => {
    expect(taskClaimAccess(cw(['intake']), task({ team: 'intake' }))).toEqual({ kind: 'allow', as: 'caseworker' });
    expect(taskClaimAccess(cw(['appeals']), task({ team: 'intake' }))).toEqual({ kind: 'deny', refusal: { kind: 'forbidden', message: expect.stringMatching(/queue of team intake.*supervisor/) } });
    expect(taskCompletionAccess(cw(['appeals']), task({ team: 'intake' })).kind).toBe('deny');
  });

  it("a supervisor sees their agency's tasks and journeys, whatever the team, but claims nothing", () => {
    expect(taskVisibility(supervisor(), task({ team: 'intake' }))).toEqual({ kind: 'allow', as: 'caseworker' });
    expect(taskVisibility(supervisor('city'), task())).toEqual({ kind: 'deny' });
    expect(journeyAccess(supervisor(), { subjectId: '1', agencies: ['bank'], lifeEvent: 'x' })).toEqual({ kind: 'allow', as: 'caseworker' });
    expect(journeyAccess(supervisor('city'), { subjectId: '1', agencies: ['bank'], lifeEvent: 'x' }).kind).toBe('deny');
    expect(taskClaimAccess(supervisor(), task())).toEqual({ kind: 'deny', refusal: { kind: 'forbidden', message: expect.stringMatching(/Only caseworkers/) } });
  });

  it("only a supervisor of the task's agency reassigns, and only a caseworker task", () => {
    expect(taskReassignAccess(supervisor(), task())).toEqual({ kind: 'allow', as: 'supervisor' });
    expect(taskReassignAccess(cw(), task())).toEqual({ kind: 'deny', refusal: { kind: 'forbidden', message: 'Only supervisors reassign tasks.' } });
    expect(taskReassignAccess(supervisor('city'), task())).toEqual({ kind: 'deny', refusal: { kind: 'forbidden', message: expect.stringMatching(/belongs to bank/) } });
    expect(taskReassignAccess(supervisor(), task({ assignee: 'citizen' }))).toEqual({ kind: 'deny', refusal: { kind: 'conflict', message: expect.stringMatching(/for the citizen/) } });
  });
});
