import { cancelJourneyError, claimTaskError, completeTaskError, isJourneyOpen, overrideDecisionError, releaseTaskError, resolveAttentionError } from './journey-updates';
import type { StepState } from './model';

const step = (key: string, patch: Partial<StepState>): StepState => ({ key, agency: 'ag', kind: 'caseworker', status: 'pending', attempts: 0, ...patch });

const steps: Record<string, StepState> = {
  review: step('review', { status: 'waiting', waitingFor: 'task' }),
  bare: step('bare', { kind: 'citizen', status: 'waiting' }),
  call: step('call', { kind: 'automatic', status: 'running' }),
  later: step('later', {}),
  consent: step('consent', { kind: 'citizen', status: 'waiting', waitingFor: 'consent', consentAsked: ['reg/income', 'reg/address'] }),
  data: step('data', { kind: 'citizen', status: 'waiting', waitingFor: 'data', asked: ['reg/iban', 'reg/phone'] }),
  noAsk: step('noAsk', { status: 'waiting', waitingFor: 'consent' }),
  noData: step('noData', { status: 'waiting', waitingFor: 'data' }),
  stuck: step('stuck', { kind: 'automatic', status: 'needs_attention' }),
  done: step('done', { status: 'completed' }),
  decided: step('decided', { kind: 'decision', status: 'completed', decision: { outcome: 'grant', ruleId: 'r', ruleVersion: 1 } }),
  referred: step('referred', { kind: 'decision', status: 'waiting', waitingFor: 'task', decision: { outcome: 'refer', ruleId: 'r', ruleVersion: 1 } }),
  undecided: step('undecided', { kind: 'decision', status: 'completed' }),
};

describe('completing a task', () => {
  it('accepts an approval or a refusal of an open task', () => {
    expect(completeTaskError(steps, { nodeKey: 'review', outcome: 'approve' })).toBeUndefined();
    expect(completeTaskError(steps, { nodeKey: 'review', outcome: 'reject', purpose: 'task' })).toBeUndefined();
    // A waiting step that does not say what for waits for its own task.
    expect(completeTaskError(steps, { nodeKey: 'bare', outcome: 'reject' })).toBeUndefined();
    expect(completeTaskError(steps, { nodeKey: 'referred', outcome: 'approve' })).toBeUndefined();
  });

  it('refuses an unknown step', () => {
    expect(completeTaskError(steps, { nodeKey: 'nope', outcome: 'approve' })).toBe("Journey has no step 'nope'.");
    expect(completeTaskError({}, { nodeKey: 'nope', purpose: 'consent' })).toBe("Journey has no step 'nope'.");
  });

  it('refuses the task of an automatic step, whatever its status', () => {
    expect(completeTaskError(steps, { nodeKey: 'call', outcome: 'approve' })).toBe("Step 'call' is automatic and has no task.");
    expect(completeTaskError(steps, { nodeKey: 'stuck', outcome: 'approve', purpose: 'task' })).toBe("Step 'stuck' is automatic and has no task.");
  });

  it('lets an automatic step take answers for its data', () => {
    const waiting = { call: step('call', { kind: 'automatic', status: 'waiting', waitingFor: 'data', asked: ['reg/x'] }) };
    expect(completeTaskError(waiting, { nodeKey: 'call', purpose: 'data', values: { 'reg/x': 1 } })).toBeUndefined();
  });

  it('refuses a task that is not open, saying what the step is doing', () => {
    expect(completeTaskError(steps, { nodeKey: 'later', outcome: 'approve' })).toBe("The task of step 'later' is not open (step is pending).");
    expect(completeTaskError(steps, { nodeKey: 'done', outcome: 'approve' })).toBe("The task of step 'done' is not open (step is completed).");
    expect(completeTaskError(steps, { nodeKey: 'consent', outcome: 'approve' })).toBe("The task of step 'consent' is not open (step is waiting, waiting for consent).");
    expect(completeTaskError(steps, { nodeKey: 'review', purpose: 'consent', consents: {} })).toBe("The consent task of step 'review' is not open (step is waiting, waiting for task).");
    expect(completeTaskError(steps, { nodeKey: 'consent', purpose: 'data', values: {} })).toBe("The data task of step 'consent' is not open (step is waiting, waiting for consent).");
    expect(completeTaskError(steps, { nodeKey: 'later', purpose: 'data', values: {} })).toBe("The data task of step 'later' is not open (step is pending).");
    expect(completeTaskError(steps, { nodeKey: 'bare', purpose: 'consent', consents: {} })).toBe("The consent task of step 'bare' is not open (step is waiting).");
  });

  it('refuses an outcome other than approve or reject', () => {
    expect(completeTaskError(steps, { nodeKey: 'review' })).toBe("Outcome must be 'approve' or 'reject'.");
    expect(completeTaskError(steps, { nodeKey: 'review', outcome: 'grant' })).toBe("Outcome must be 'approve' or 'reject'.");
    expect(completeTaskError(steps, { nodeKey: 'review', outcome: 'Approve' })).toBe("Outcome must be 'approve' or 'reject'.");
  });

  describe('a consent answer', () => {
    it('is accepted with yes or no for every field asked (the outcome does not matter)', () => {
      expect(completeTaskError(steps, { nodeKey: 'consent', purpose: 'consent', consents: { 'reg/income': true, 'reg/address': false } })).toBeUndefined();
    });

    it('is refused for fields not asked, before open ones', () => {
      expect(completeTaskError(steps, { nodeKey: 'consent', purpose: 'consent', consents: { 'reg/income': true, 'reg/x': true, 'reg/y': false } })).toBe('No consent was asked for reg/x, reg/y.');
    });

    it('is refused while a field has no yes or no', () => {
      expect(completeTaskError(steps, { nodeKey: 'consent', purpose: 'consent', consents: { 'reg/income': true } })).toBe('Answer yes or no for every field: reg/address.');
      expect(completeTaskError(steps, { nodeKey: 'consent', purpose: 'consent', consents: { 'reg/income': 'yes', 'reg/address': 1 } })).toBe('Answer yes or no for every field: reg/income, reg/address.');
      expect(completeTaskError(steps, { nodeKey: 'consent', purpose: 'consent' })).toBe('Answer yes or no for every field: reg/income, reg/address.');
    });

    it('is accepted empty when nothing was asked', () => {
      expect(completeTaskError(steps, { nodeKey: 'noAsk', purpose: 'consent' })).toBeUndefined();
      expect(completeTaskError(steps, { nodeKey: 'noAsk', purpose: 'consent', consents: { 'reg/a': true } })).toBe('No consent was asked for reg/a.');
    });
  });

  describe('a data answer', () => {
    it('is accepted with a value for every field asked, falsy values included', () => {
      expect(completeTaskError(steps, { nodeKey: 'data', purpose: 'data', values: { 'reg/iban': 'BE68', 'reg/phone': 0 } })).toBeUndefined();
      expect(completeTaskError(steps, { nodeKey: 'data', purpose: 'data', values: { 'reg/iban': false, 'reg/phone': ' ' } })).toBeUndefined();
    });

    it('is refused for fields not asked, before open ones', () => {
      expect(completeTaskError(steps, { nodeKey: 'data', purpose: 'data', values: { 'reg/iban': 'x', 'reg/other': 1, 'reg/more': 2 } })).toBe('These fields were not asked: reg/other, reg/more.');
    });

    it('is refused while a field has no value (missing, null or empty)', () => {
      expect(completeTaskError(steps, { nodeKey: 'data', purpose: 'data', values: { 'reg/iban': 'x' } })).toBe('Give a value for every asked field: reg/phone.');
      expect(completeTaskError(steps, { nodeKey: 'data', purpose: 'data', values: { 'reg/iban': null, 'reg/phone': '' } })).toBe('Give a value for every asked field: reg/iban, reg/phone.');
      expect(completeTaskError(steps, { nodeKey: 'data', purpose: 'data', values: { 'reg/iban': undefined, 'reg/phone': 'x' } })).toBe('Give a value for every asked field: reg/iban.');
      expect(completeTaskError(steps, { nodeKey: 'data', purpose: 'data' })).toBe('Give a value for every asked field: reg/iban, reg/phone.');
    });

    it('is accepted empty when nothing was asked', () => {
      expect(completeTaskError(steps, { nodeKey: 'noData', purpose: 'data' })).toBeUndefined();
      expect(completeTaskError(steps, { nodeKey: 'noData', purpose: 'data', values: { 'reg/a': 1 } })).toBe('These fields were not asked: reg/a.');
    });
  });
});

describe('resolving attention', () => {
  it('accepts a retry, with or without a reason, and a skip with a reason', () => {
    expect(resolveAttentionError(steps, { nodeKey: 'stuck', action: 'retry' }, false)).toBeUndefined();
    expect(resolveAttentionError(steps, { nodeKey: 'stuck', action: 'retry', reason: '' }, false)).toBeUndefined();
    expect(resolveAttentionError(steps, { nodeKey: 'stuck', action: 'skip', reason: 'agency closed' }, false)).toBeUndefined();
  });

  it('refuses an unknown step', () => {
    expect(resolveAttentionError(steps, { nodeKey: 'nope', action: 'retry' }, false)).toBe("Journey has no step 'nope'.");
  });

  it('refuses a step that does not need attention', () => {
    expect(resolveAttentionError(steps, { nodeKey: 'call', action: 'retry' }, false)).toBe("Step 'call' does not need attention (it is running).");
    expect(resolveAttentionError(steps, { nodeKey: 'done', action: 'skip', reason: 'x' }, false)).toBe("Step 'done' does not need attention (it is completed).");
  });

  it('refuses a second answer before the step took up the first', () => {
    expect(resolveAttentionError(steps, { nodeKey: 'stuck', action: 'retry' }, true)).toBe("Step 'stuck' does not need attention (it is needs_attention).");
  });

  it('refuses a skip without a reason (blank counts as none)', () => {
    expect(resolveAttentionError(steps, { nodeKey: 'stuck', action: 'skip' }, false)).toBe('Skipping a step needs a reason.');
    expect(resolveAttentionError(steps, { nodeKey: 'stuck', action: 'skip', reason: ' \t\n' }, false)).toBe('Skipping a step needs a reason.');
  });
});

describe('overriding a decision', () => {
  it('accepts a grant or a denial with a reason on a final decision', () => {
    expect(overrideDecisionError(steps, { nodeKey: 'decided', outcome: 'deny', reason: 'appeal upheld' })).toBeUndefined();
    expect(overrideDecisionError(steps, { nodeKey: 'decided', outcome: 'grant', reason: 'x' })).toBeUndefined();
  });

  it('refuses an unknown step', () => {
    expect(overrideDecisionError(steps, { nodeKey: 'nope', outcome: 'grant', reason: 'x' })).toBe("Journey has no step 'nope'.");
  });

  it('refuses a step without a decision', () => {
    expect(overrideDecisionError(steps, { nodeKey: 'done', outcome: 'grant', reason: 'x' })).toBe("Step 'done' has no decision to override.");
    expect(overrideDecisionError(steps, { nodeKey: 'undecided', outcome: 'grant', reason: 'x' })).toBe("Step 'undecided' has no decision to override.");
    const odd = { odd: step('odd', { status: 'completed', decision: { outcome: 'grant', ruleId: 'r', ruleVersion: 1 } }) };
    expect(overrideDecisionError(odd, { nodeKey: 'odd', outcome: 'grant', reason: 'x' })).toBe("Step 'odd' has no decision to override.");
  });

  it('refuses a decision that is not final yet', () => {
    expect(overrideDecisionError(steps, { nodeKey: 'referred', outcome: 'grant', reason: 'x' })).toBe("The decision of step 'referred' is not final yet (step is waiting).");
  });

  it('refuses an outcome other than grant or deny', () => {
    expect(overrideDecisionError(steps, { nodeKey: 'decided', outcome: 'refer', reason: 'x' })).toBe("Outcome must be 'grant' or 'deny'.");
    expect(overrideDecisionError(steps, { nodeKey: 'decided', outcome: 'approve', reason: 'x' })).toBe("Outcome must be 'grant' or 'deny'.");
  });

  it('refuses an override without a reason (blank counts as none)', () => {
    expect(overrideDecisionError(steps, { nodeKey: 'decided', outcome: 'deny' })).toBe('Overriding a decision needs a reason.');
    expect(overrideDecisionError(steps, { nodeKey: 'decided', outcome: 'deny', reason: '  ' })).toBe('Overriding a decision needs a reason.');
  });
});

describe('cancelling a journey', () => {
  it('accepts a running journey, or one that needs attention, with a reason', () => {
    expect(cancelJourneyError('running', { reason: 'moved abroad' })).toBeUndefined();
    expect(cancelJourneyError('needs_attention', { reason: 'x' })).toBeUndefined();
  });

  it('refuses a journey that is over', () => {
    expect(cancelJourneyError('completed', { reason: 'x' })).toBe('Journey is already completed.');
    expect(cancelJourneyError('cancelled', { reason: 'x' })).toBe('Journey is already cancelled.');
  });

  it('refuses without a reason (blank counts as none)', () => {
    expect(cancelJourneyError('running', {})).toBe('Cancelling a journey needs a reason.');
    expect(cancelJourneyError('running', { reason: ' ' })).toBe('Cancelling a journey needs a reason.');
  });

  it('tells open journeys from closed ones', () => {
    expect(isJourneyOpen('running')).toBe(true);
    expect(isJourneyOpen('needs_attention')).toBe(true);
    expect(isJourneyOpen('completed')).toBe(false);
    expect(isJourneyOpen('cancelled')).toBe(false);
  });
});

describe('claiming and releasing a task', () => {
  const held = { ...steps, review: { ...steps.review, claimedBy: 'cw-1' }, referred: { ...steps.referred, claimedBy: null } };

  it('claims the open task of a caseworker step or a referred decision; claiming one’s own claim again is accepted', () => {
    expect(claimTaskError(steps, { nodeKey: 'review', by: 'cw-1' })).toBeUndefined();
    expect(claimTaskError(held, { nodeKey: 'referred', by: 'cw-2' })).toBeUndefined();
    expect(claimTaskError(held, { nodeKey: 'review', by: 'cw-1' })).toBeUndefined();
  });

  it('refuses a task someone else holds, naming them', () => {
    expect(claimTaskError(held, { nodeKey: 'review', by: 'cw-2' })).toBe('The task is already claimed by cw-1.');
  });

  it('refuses what is no open caseworker task: citizen and automatic steps, consents, closed or unknown steps', () => {
    expect(claimTaskError(steps, { nodeKey: 'bare', by: 'cw-1' })).toBe("Step 'bare' has no caseworker task to claim.");
    expect(claimTaskError(steps, { nodeKey: 'call', by: 'cw-1' })).toBe("Step 'call' has no caseworker task to claim.");
    expect(claimTaskError(steps, { nodeKey: 'noAsk', purpose: 'consent', by: 'cw-1' })).toBe("Step 'noAsk' has no caseworker task to claim.");
    expect(claimTaskError(steps, { nodeKey: 'noAsk', by: 'cw-1' })).toBe('The task is not open.');
    expect(claimTaskError(steps, { nodeKey: 'done', by: 'cw-1' })).toBe('The task is completed.');
    expect(claimTaskError(steps, { nodeKey: 'later', by: 'cw-1' })).toBe('The task is not open.');
    expect(claimTaskError(steps, { nodeKey: 'nope', by: 'cw-1' })).toBe("Journey has no step 'nope'.");
  });

  it('releases only for the one who holds the claim', () => {
    expect(releaseTaskError(held, { nodeKey: 'review', by: 'cw-1' })).toBeUndefined();
    expect(releaseTaskError(held, { nodeKey: 'review', by: 'cw-2' })).toBe('Only the caseworker who claimed an open task can release it.');
    expect(releaseTaskError(held, { nodeKey: 'referred', by: 'cw-1' })).toBe('Only the caseworker who claimed an open task can release it.');
    expect(releaseTaskError(steps, { nodeKey: 'done', by: 'cw-1' })).toBe('The task is completed.');
  });

  it('lets only the holder complete a claimed task; an unclaimed or released one anyone may', () => {
    expect(completeTaskError(held, { nodeKey: 'review', outcome: 'approve', by: 'cw-2' })).toBe('The task is claimed by cw-1; only they can complete it.');
    expect(completeTaskError(held, { nodeKey: 'review', outcome: 'approve', by: 'cw-1' })).toBeUndefined();
    expect(completeTaskError(held, { nodeKey: 'referred', outcome: 'approve', by: 'cw-2' })).toBeUndefined();
  });
});
