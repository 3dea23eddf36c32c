import { addDuration } from './durations';
import { isStepOverdue, nextDueAt } from './journey-state';
import { completeTaskError } from './journey-updates';
import { extendTerm, extendTermError, isClockSuspended, requestInformationError, resumeClock, suspendClock, suspendsOnCitizen } from './legal-clock';
import type { StepState } from './model';
import { openTaskOf } from './tasks';
import { validateStepDefinition } from './validation';

const T0 = '2027-01-04T09:00:00.000Z';
const at = (d: string) => addDuration(T0, d);
const step = (patch: Partial<StepState> = {}): StepState => ({
  key: 'review',
  agency: 'ag',
  kind: 'caseworker',
  status: 'waiting',
  waitingFor: 'task',
  attempts: 0,
  startedAt: T0,
  dueAt: at('P10D'),
  warnAt: at('P7D'),
  escalateAt: at('P14D'),
  ...patch,
});

describe('suspending and resuming the legal clock', () => {
  it('moves every deadline still ahead by the time the clock stood still', () => {
    const s = step();
    expect(suspendClock(s, 'information', at('P2D'))).toBe(true);
    expect(isClockSuspended(s)).toBe(true);
    // Suspended twice is one suspension.
    expect(suspendClock(s, 'data', at('P3D'))).toBe(false);
    expect(s.clock?.suspendedFor).toBe('information');
    expect(resumeClock(s, at('P7D'))).toBe(5 * 86_400_000);
    expect(s).toMatchObject({ dueAt: at('P15D'), warnAt: at('P12D'), escalateAt: at('P19D'), clock: { suspendedMs: 5 * 86_400_000 } });
    expect(isClockSuspended(s)).toBe(false);
  });

  it('keeps a warning that was given where it was, and adds up the suspensions', () => {
    const s = step({ warned: true });
    suspendClock(s, 'consent', at('P8D'));
    resumeClock(s, at('P9D'));
    suspendClock(s, 'data', at('P9D'));
    resumeClock(s, at('P11D'));
    expect(s).toMatchObject({ dueAt: at('P13D'), warnAt: at('P7D'), escalateAt: at('P17D'), clock: { suspendedMs: 3 * 86_400_000 } });
  });

  it('does nothing for a clock that does not stand still, or a step without a deadline', () => {
    const s = step();
    expect(resumeClock(s, at('P1D'))).toBeUndefined();
    expect(s.dueAt).toBe(at('P10D'));
    expect(suspendClock(step({ dueAt: undefined }), 'data', at('P1D'))).toBe(false);
  });

  it('is not overdue, nor the next due date, while suspended', () => {
    const s = step();
    expect(isStepOverdue(s, at('P11D'))).toBe(true);
    suspendClock(s, 'data', at('P9D'));
    expect(isStepOverdue(s, at('P11D'))).toBe(false);
    expect(nextDueAt({ review: s })).toBeUndefined();
  });

  it("suspends an agency's term only, not a citizen's own step", () => {
    expect(suspendsOnCitizen({ kind: 'caseworker' })).toBe(true);
    expect(suspendsOnCitizen({ kind: 'automatic' })).toBe(true);
    expect(suspendsOnCitizen({ kind: 'decision' })).toBe(true);
    expect(suspendsOnCitizen({ kind: 'citizen' })).toBe(false);
  });
});

describe('extending a term', () => {
  const norm = { target: 'P10D', maxExtension: 'P30D' };
  const request = { nodeKey: 'review', extension: 'P14D', reason: 'The expert needs more time', by: 'cw-1' };

  it('moves the due date (and what has not rung) by the extension, once', () => {
    const s = step();
    expect(extendTermError({ review: s }, norm, request)).toBeUndefined();
    expect(extendTerm(s, request, at('P5D'))).toEqual({ previousDueAt: at('P10D'), dueAt: at('P24D') });
    expect(s).toMatchObject({ warnAt: at('P21D'), escalateAt: at('P28D'), clock: { extension: { duration: 'P14D', reason: 'The expert needs more time', by: 'cw-1', at: at('P5D') } } });
    expect(extendTermError({ review: s }, norm, request)).toMatch(/already extended \(by P14D/);
  });

  it('refuses without a maximum, beyond it, without a reason, a bad duration, or a step not under way', () => {
    const s = step();
    expect(extendTermError({ review: s }, { target: 'P10D' }, request)).toMatch(/declares no maximum extension/);
    expect(extendTermError({ review: s }, norm, { ...request, extension: 'P31D' })).toBe('The extension P31D is longer than this step allows (at most P30D).');
    expect(extendTermError({ review: s }, norm, { ...request, extension: 'P30D' })).toBeUndefined();
    expect(extendTermError({ review: s }, norm, { ...request, reason: '  ' })).toBe('Extending a term needs a reason.');
    expect(extendTermError({ review: s }, norm, { ...request, extension: '14 days' })).toMatch(/must be a positive ISO-8601 duration/);
    expect(extendTermError({ review: step({ status: 'completed' }) }, norm, request)).toMatch(/does not run \(step is completed\)/);
    expect(extendTermError({ review: step({ status: 'pending', dueAt: undefined }) }, norm, request)).toMatch(/does not run/);
    expect(extendTermError({}, norm, request)).toBe("Journey has no step 'review'.");
  });
});

describe('asking the citizen for information', () => {
  const request = { nodeKey: 'review', question: 'Send the lease contract', dueAt: at('P20D'), by: 'cw-1' };
  const now = at('P1D');

  it("is asked from a caseworker's open task, by its holder, with a question and a date ahead", () => {
    expect(requestInformationError({ review: step() }, request, now)).toBeUndefined();
    expect(requestInformationError({ review: step({ kind: 'decision' }) }, request, now)).toBeUndefined();
    expect(requestInformationError({ review: step({ claimedBy: 'cw-1' }) }, request, now)).toBeUndefined();
    expect(requestInformationError({ review: step({ claimedBy: 'cw-2' }) }, request, now)).toMatch(/claimed by cw-2/);
    expect(requestInformationError({ review: step({ kind: 'automatic', status: 'running' }) }, request, now)).toMatch(/no caseworker working it/);
    expect(requestInformationError({ review: step({ status: 'completed' }) }, request, now)).toMatch(/is not open \(step is completed\)/);
    expect(requestInformationError({ review: step({ waitingFor: 'data' }) }, request, now)).toMatch(/is not open/);
    expect(requestInformationError({ review: step({ waitingFor: 'information', information: { question: 'q', dueAt: at('P9D'), by: 'x', askedAt: T0 } }) }, request, now)).toMatch(/already asked/);
    expect(requestInformationError({ review: step() }, { ...request, question: ' ' }, now)).toBe('Say what information is asked.');
    expect(requestInformationError({ review: step() }, { ...request, dueAt: 'tomorrow' }, now)).toMatch(/ISO-8601 instant/);
    expect(requestInformationError({ review: step() }, { ...request, dueAt: T0 }, now)).toMatch(/must lie in the future/);
  });

  it('opens a citizen task with its own due date and question, answered with a text', () => {
    const waiting = step({ waitingFor: 'information', information: { question: 'Send the lease', dueAt: at('P20D'), by: 'cw-1', askedAt: T0 } });
    expect(openTaskOf('j1', waiting)).toEqual({ id: 'j1.review.information', purpose: 'information', assignee: 'citizen', fields: null, dueAt: at('P20D'), data: { question: 'Send the lease' } });
    expect(completeTaskError({ review: waiting }, { nodeKey: 'review', purpose: 'information', comment: 'Attached.' })).toBeUndefined();
    expect(completeTaskError({ review: waiting }, { nodeKey: 'review', purpose: 'information' })).toBe('Give the information asked (a text answer).');
    // The caseworker's own task waits meanwhile.
    expect(completeTaskError({ review: waiting }, { nodeKey: 'review', outcome: 'approve' })).toMatch(/not open/);
  });
});

describe('the maximum extension in the catalog', () => {
  const def = { agency: 'ag', key: 'review', kind: 'caseworker' as const, titles: { nl: 'Beoordeling' }, serviceNorm: { target: 'P10D', maxExtension: 'P30D' } };
  it('is an optional ISO-8601 duration', () => {
    expect(validateStepDefinition(def)).toEqual([]);
    expect(validateStepDefinition({ ...def, serviceNorm: { target: 'P10D', maxExtension: 'thirty days' } })).toEqual([
      expect.objectContaining({ path: '/serviceNorm/maxExtension', message: expect.stringMatching(/is not a positive ISO-8601 duration/) }),
    ]);
  });
});
