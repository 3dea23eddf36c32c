import { TIMELINE_TYPES, type TimelineType } from '@levensloop/domain';
import { categoryOfTimelineEvent, dedupKeyOfTimelineEvent, MESSAGE_CATEGORIES } from './categories';
import { renderMessage } from './content';
import { defaultTemplate } from './default-templates';

const told = (type: TimelineType, detail?: Record<string, unknown>) => categoryOfTimelineEvent({ type, detail });

describe('what a timeline event tells the citizen', () => {
  it("tells the journey's start, completion and cancellation under their own category", () => {
    expect(told('journey.started')).toBe('journey.started');
    expect(told('journey.completed')).toBe('journey.completed');
    expect(told('journey.cancelled')).toBe('journey.cancelled');
  });

  it('asks the citizen to act for their own task, a consent or missing data, not for a caseworker task', () => {
    expect(told('step.task_created', { assignee: 'citizen' })).toBe('action.needed');
    expect(told('step.task_created', { assignee: 'caseworker' })).toBeUndefined();
    expect(told('step.task_created')).toBeUndefined();
    expect(told('step.consent_requested')).toBe('action.needed');
    expect(told('step.data_requested')).toBe('action.needed');
  });

  it('tells a final decision and an overridden one, not a referral to a caseworker', () => {
    expect(told('step.decided', { outcome: 'grant' })).toBe('decision.made');
    expect(told('step.decided', { outcome: 'deny' })).toBe('decision.made');
    expect(told('step.decided', { outcome: 'refer' })).toBeUndefined();
    expect(told('step.decided')).toBeUndefined();
    expect(told('step.decision_overridden', { outcome: 'refer' })).toBe('decision.made');
  });

  it("tells the step timers' reminder and delay notice, keyed once per task and per step as the sweep keyed them", () => {
    expect(told('step.reminder', { taskId: 'j1.proof', dueAt: '2026-12-01T00:00:00.000Z' })).toBe('action.reminder');
    expect(told('step.delayed', { agency: 'groeipakket', newExpectedDate: '2026-12-01T00:00:00.000Z' })).toBe('service.delayed');
    expect(dedupKeyOfTimelineEvent('j1', { seq: 7, type: 'step.reminder', step: 'proof', detail: { taskId: 'j1.proof' } })).toBe('j1.proof/reminder');
    expect(dedupKeyOfTimelineEvent('j1', { seq: 8, type: 'step.delayed', step: 'pay', detail: {} })).toBe('j1/pay/delayed');
    expect(dedupKeyOfTimelineEvent('j1', { seq: 9, type: 'step.task_created', step: 'proof', detail: {} })).toBe('j1/9');
    expect(dedupKeyOfTimelineEvent('j1', { seq: 10, type: 'step.reminder', step: 'proof' })).toBe('j1/10');
  });

  it('tells nothing of the other events, and every category it names exists', () => {
    const toldTypes = ['journey.started', 'journey.completed', 'journey.cancelled', 'step.task_created', 'step.consent_requested', 'step.data_requested', 'step.decided', 'step.decision_overridden', 'step.reminder', 'step.delayed'];
    // The legal clock's events (legal-clock.ts) are told too.
    const legalClock = ['step.information_requested', 'step.clock_suspended', 'step.clock_resumed', 'step.term_extended'];
    const quiet = TIMELINE_TYPES.filter((t) => ![...toldTypes, ...legalClock].includes(t));
    expect(quiet.length).toBeGreaterThan(5);
    for (const type of quiet) expect(told(type, { assignee: 'citizen', outcome: 'grant' })).toBeUndefined();
    for (const type of TIMELINE_TYPES) {
      const category = told(type, { assignee: 'citizen', outcome: 'grant' });
      if (category) expect(MESSAGE_CATEGORIES[category]?.key).toBe(category);
    }
  });
});

describe('what an objection tells the citizen', () => {
  it('tells its receipt and its outcome, in the built-in texts of the four languages', () => {
    expect(told('decision.objection_filed')).toBe('objection.received');
    expect(told('decision.objection_upheld')).toBe('objection.decided');
    expect(told('decision.objection_revised')).toBe('objection.decided');
    expect(told('step.rerun')).toBeUndefined();
    for (const category of ['objection.received', 'objection.decided']) {
      expect(MESSAGE_CATEGORIES[category].key).toBe(category);
      for (const lang of ['nl', 'fr', 'de', 'en'] as const) expect(defaultTemplate(category, lang).body).toContain('{{link}}');
    }
  });

  it('says the revised outcome and the reviewer’s explanation, not the rule’s', () => {
    const ctx = { category: 'objection.decided', data: { outcome: 'grant', explanation: { nl: 'Het kind woont bij u.', en: 'The child lives with you.' } }, journeyId: 'j1', journeyTitle: { nl: 'Geboorte' }, stepTitle: { nl: 'Startbedrag' }, agencyNames: null, taskDueAt: null, cancelReason: null, explanation: { nl: 'Regel' }, decisionOutcome: 'deny', recipientName: 'An', subjectName: null, agency: null };
    const en = renderMessage(undefined, ctx, 'en', 'https://x/j1');
    expect(en.body).toContain('The decision is now: granted.');
    expect(en.body).toContain('Why: The child lives with you.');
    expect(renderMessage(undefined, ctx, 'fr', 'https://x/j1').body).toContain('Pourquoi : Het kind woont bij u.');
  });
});

describe('what an appeal tells the citizen', () => {
  it('tells its receipt and its outcome in the four languages, with the appeal agency’s explanation', () => {
    expect(told('decision.appeal_filed')).toBe('appeal.received');
    expect(told('decision.appeal_upheld')).toBe('appeal.decided');
    expect(told('decision.appeal_revised')).toBe('appeal.decided');
    for (const category of ['appeal.received', 'appeal.decided']) {
      expect(MESSAGE_CATEGORIES[category].key).toBe(category);
      for (const lang of ['nl', 'fr', 'de', 'en'] as const) expect(defaultTemplate(category, lang).body).toContain('{{link}}');
    }
    const ctx = { category: 'appeal.decided', data: { outcome: 'grant', explanation: { nl: 'De vergoeding telt niet mee.', en: 'The severance pay does not count.' } }, journeyId: 'j1', journeyTitle: { nl: 'Renovatie' }, stepTitle: { nl: 'Premie' }, agencyNames: null, taskDueAt: null, cancelReason: null, explanation: { nl: 'Regel' }, decisionOutcome: 'deny', recipientName: 'An', subjectName: null, agency: null };
    const en = renderMessage(undefined, ctx, 'en', 'https://x/j1');
    expect(en.body).toContain('The decision is now: granted.');
    expect(en.body).toContain('Why: The severance pay does not count.');
    expect(renderMessage(undefined, ctx, 'nl', 'https://x/j1').body).toContain('Waarom: De vergoeding telt niet mee.');
  });
});
