import { REFERRAL_REASON, referralDecisionOf } from './decisions';

describe('referralDecisionOf', () => {
  const completed = { type: 'step.completed' as const, detail: { by: 'cw-1', comment: 'Lives in Flanders' } };

  it('reads an approval of a decision step as a grant, with the comment as the reason', () => {
    expect(referralDecisionOf(completed, 'decision')).toEqual({ outcome: 'grant', reason: 'Lives in Flanders', by: 'cw-1' });
  });

  it('reads a rejection as a deny, and gives the standard reason without a comment', () => {
    expect(referralDecisionOf({ type: 'step.rejected', detail: { by: 'cw-2' } }, 'decision')).toEqual({ outcome: 'deny', reason: REFERRAL_REASON, by: 'cw-2' });
    expect(REFERRAL_REASON).toBe('Decided by a caseworker after the rule referred the case.');
  });

  it('keeps an empty comment as it was given', () => {
    expect(referralDecisionOf({ type: 'step.completed', detail: { by: 'cw-1', comment: '' } }, 'decision')?.reason).toBe('');
  });

  it('is nothing for other step kinds, other events, or an event without who answered', () => {
    expect(referralDecisionOf(completed, 'caseworker')).toBeUndefined();
    expect(referralDecisionOf(completed, undefined)).toBeUndefined();
    expect(referralDecisionOf({ type: 'step.decided', detail: { by: 'cw-1' } }, 'decision')).toBeUndefined();
    expect(referralDecisionOf({ type: 'step.skipped', detail: { by: 'cw-1' } }, 'decision')).toBeUndefined();
    expect(referralDecisionOf({ type: 'step.completed' }, 'decision')).toBeUndefined();
    expect(referralDecisionOf({ type: 'step.completed', detail: { by: '' } }, 'decision')).toBeUndefined();
    expect(referralDecisionOf({ type: 'step.rejected', detail: { by: 42 } }, 'decision')).toBeUndefined();
  });
});
