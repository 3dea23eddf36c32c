import type { StepState } from './model';
import { closedTaskOf, openTaskOf, taskAnswerSummary, taskIdOf } from './tasks';

const J = '0b5f6c1e-0000-4000-8000-0000000000aa';
const step = (over: Partial<StepState>): StepState => ({ key: 'check', agency: 'gent', kind: 'caseworker', status: 'waiting', attempts: 0, ...over });

describe('the task a waiting step opens', () => {
  it("is the step's own work, for whoever the step kind names; a referred decision goes to a caseworker", () => {
    expect(openTaskOf(J, step({ kind: 'caseworker' }))).toEqual({ id: `${J}.check`, purpose: 'task', assignee: 'caseworker', fields: null });
    expect(openTaskOf(J, step({ kind: 'citizen', waitingFor: 'task' }))).toEqual({ id: `${J}.check`, purpose: 'task', assignee: 'citizen', fields: null });
    expect(openTaskOf(J, step({ kind: 'decision' }))?.assignee).toBe('caseworker');
  });

  it('is first a consent or missing data from the citizen, whatever the step kind, with the fields asked', () => {
    expect(openTaskOf(J, step({ waitingFor: 'consent', consentAsked: ['national-register/address'], asked: ['x/y'] }))).toEqual({
      id: `${J}.check.consent`,
      purpose: 'consent',
      assignee: 'citizen',
      fields: ['national-register/address'],
    });
    expect(openTaskOf(J, step({ kind: 'decision', waitingFor: 'data', asked: ['citizen/iban'] }))).toEqual({ id: `${J}.check.data`, purpose: 'data', assignee: 'citizen', fields: ['citizen/iban'] });
    expect(openTaskOf(J, step({ waitingFor: 'data' }))?.fields).toBeNull();
  });

  it('is none for a step that does not wait', () => {
    for (const status of ['pending', 'running', 'completed', 'needs_attention', 'skipped', 'cancelled'] as const) {
      expect(openTaskOf(J, step({ status }))).toBeUndefined();
    }
  });

  it('has an id made of the journey, the step and the purpose (the task itself has no suffix)', () => {
    expect(taskIdOf(J, 'a')).toBe(`${J}.a`);
    expect(taskIdOf(J, 'a', 'task')).toBe(`${J}.a`);
    expect(taskIdOf(J, 'a', 'data')).toBe(`${J}.a.data`);
  });
});

describe('how the tasks of a step that moved on close', () => {
  it('are cancelled when the step will not run, completed otherwise', () => {
    expect(closedTaskOf(step({ status: 'skipped' }))).toEqual({ status: 'cancelled', outcome: null });
    expect(closedTaskOf(step({ status: 'cancelled' }))).toEqual({ status: 'cancelled', outcome: null });
    expect(closedTaskOf(step({ status: 'running' }))).toEqual({ status: 'completed', outcome: null });
  });

  it("carry the caseworker's verdict when the step completed: reject only when it was rejected", () => {
    expect(closedTaskOf(step({ status: 'completed', outcome: { result: 'rejected' } }))).toEqual({ status: 'completed', outcome: 'reject' });
    expect(closedTaskOf(step({ status: 'completed', outcome: { result: 'approved' } })).outcome).toBe('approve');
    expect(closedTaskOf(step({ status: 'completed', outcome: { result: 'done' } })).outcome).toBe('approve');
    expect(closedTaskOf(step({ status: 'completed' })).outcome).toBe('approve');
  });
});

describe('what a task row keeps of its answer', () => {
  it('is, for a claimed task, who holds it; released is null; never claimed through the workflow says nothing', () => {
    expect(openTaskOf(J, step({ claimedBy: 'cw-1' }))?.claimedBy).toBe('cw-1');
    expect(openTaskOf(J, step({ claimedBy: null }))).toHaveProperty('claimedBy', null);
    expect(openTaskOf(J, step({}))).not.toHaveProperty('claimedBy');
  });

  it("is the caseworker's verdict, data and comment for the step's own task", () => {
    const closed = closedTaskOf(step({ status: 'completed', outcome: { result: 'approved', by: 'cw-1', data: { permit: 'P-1' }, comment: 'Fine' } }));
    expect(closed.answers).toEqual({ task: { by: 'cw-1', data: { permit: 'P-1' }, comment: 'Fine' } });
  });

  it('is who answered a consent or data task and its summary, unless the step will not run', () => {
    const answered = { consent: { by: 'citizen-1', data: { consents: { 'a/b': true } } }, data: { by: 'citizen-1', data: { given: ['c/d'] } } };
    expect(closedTaskOf(step({ status: 'running', answered })).answers).toEqual(answered);
    expect(closedTaskOf(step({ status: 'cancelled', answered })).answers).toBeUndefined();
  });

  it('keeps the consents as given, and of missing data only which fields were given', () => {
    expect(taskAnswerSummary('consent', { consents: { 'a/b': true, 'c/d': false } })).toEqual({ consents: { 'a/b': true, 'c/d': false } });
    expect(taskAnswerSummary('data', { values: { 'citizen/iban': 'BE68539007547034' } })).toEqual({ given: ['citizen/iban'] });
    expect(taskAnswerSummary('data', {})).toEqual({ given: [] });
  });
});
