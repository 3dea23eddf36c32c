import { LANGUAGES } from '@levensloop/domain';
import { categoryOf, categoryOfTimelineEvent } from './categories';
import { renderMessage, templateAgency, type DeliveryContext } from './content';
import { defaultTemplate } from './default-templates';
import { INFORMATION_DUE_CATEGORIES, INFORMATION_DUE_TEMPLATES } from './information-due';
import { LEGAL_CLOCK_CATEGORIES, LEGAL_CLOCK_TEMPLATES, legalClockCategoryOf } from './legal-clock';
import { placeholdersOf, validateTemplate } from './templates';

const ctx = (category: string, data: Record<string, unknown>): DeliveryContext => ({
  category,
  data,
  journeyId: 'j-1',
  journeyTitle: { nl: 'Renovatie', en: 'Renovation' },
  stepTitle: { nl: 'Premie', en: 'Premium' },
  agencyNames: { nl: 'Wonen', en: 'Housing' },
  taskDueAt: null,
  cancelReason: null,
  explanation: null,
  decisionOutcome: null,
  recipientName: 'Ann',
  subjectName: null,
  agency: 'housing',
});

// The built-in messages of a step's term: the legal clock's (legal-clock.ts) and those of a request
// for information's due date (information-due.ts).
describe.each([
  ["a step's legal clock", LEGAL_CLOCK_CATEGORIES, LEGAL_CLOCK_TEMPLATES, 'information.requested'],
  ["a request for information's due date", INFORMATION_DUE_CATEGORIES, INFORMATION_DUE_TEMPLATES, 'information.reminder'],
] as const)('the messages of %s', (_of, categories, templates, asking) => {
  test.each(Object.keys(categories).flatMap((c) => LANGUAGES.map((l) => [c, l] as const)))('%s in %s is valid and carries the link everywhere', (category, language) => {
    const template = defaultTemplate(category, language);
    expect(validateTemplate(template)).toEqual([]);
    expect(placeholdersOf(template.body)).toContain('link');
    expect(placeholdersOf(template.sms)).toContain('link');
  });

  test(`every category has its templates, is told in the name of the step’s agency, and only ${asking} asks to act`, () => {
    expect(Object.keys(templates).sort()).toEqual(Object.keys(categories).sort());
    for (const key of Object.keys(categories)) {
      expect(categoryOf(key)).toBe(categories[key]);
      expect(templateAgency(key, 'housing')).toBe('housing');
    }
    expect(Object.values(categories).filter((c) => c.actionNeeded).map((c) => c.key)).toEqual([asking]);
  });
});

describe("what the citizen is told of a step's legal clock", () => {
  test('files one message per event: the request (its suspension said within), a suspension for a consent or data, the resumption, the extension', () => {
    expect(legalClockCategoryOf({ type: 'step.information_requested' })).toBe('information.requested');
    expect(legalClockCategoryOf({ type: 'step.clock_suspended', detail: { reason: 'information' } })).toBeUndefined();
    expect(legalClockCategoryOf({ type: 'step.clock_suspended', detail: { reason: 'data' } })).toBe('term.suspended');
    expect(legalClockCategoryOf({ type: 'step.clock_resumed' })).toBe('term.resumed');
    expect(legalClockCategoryOf({ type: 'step.term_extended' })).toBe('term.extended');
    expect(legalClockCategoryOf({ type: 'step.information_provided' })).toBeUndefined();
    expect(legalClockCategoryOf({ type: 'step.completed' })).toBeUndefined();
    // The one mapping of timeline events to messages tells them (what the projection files).
    expect(categoryOfTimelineEvent({ type: 'step.term_extended' })).toBe('term.extended');
    expect(categoryOfTimelineEvent({ type: 'step.clock_suspended', detail: { reason: 'information' } })).toBeUndefined();
  });

  test('says what is asked, by when, and the new date, in plain words', () => {
    const asked = renderMessage(undefined, { ...ctx('information.requested', { question: 'Send the lease.' }), taskDueAt: new Date('2027-02-01T10:00:00Z') }, 'en', 'https://x/j-1');
    expect(asked.body).toContain('Housing asks you for more information:\nSend the lease.\nPlease answer before 1 February 2027.');
    expect(asked.body).toContain('the term for Premium is paused');
    const extended = renderMessage(undefined, ctx('term.extended', { reason: 'The expert needs more time.', dueAt: '2027-03-15T10:00:00Z' }), 'nl', 'https://x/j-1');
    expect(extended.body).toContain('Waarom: The expert needs more time.\nU hoort van ons uiterlijk op 15 maart 2027.');
    const resumed = renderMessage(undefined, ctx('term.resumed', { dueAt: '2027-03-15T10:00:00Z' }), 'fr', 'https://x/j-1');
    expect(resumed.body).toContain('au plus tard le 15 mars 2027');
  });
});

describe("what the citizen is told as a request for information's due date nears and passes", () => {
  test('the reminder and the lapse are filed from their timeline events', () => {
    expect(categoryOfTimelineEvent({ type: 'step.information_reminder' })).toBe('information.reminder');
    expect(categoryOfTimelineEvent({ type: 'step.information_lapsed' })).toBe('information.lapsed');
  });

  test('the reminder repeats the question and its date; the lapse says the agency goes on and when the citizen hears', () => {
    const reminder = renderMessage(undefined, ctx('information.reminder', { question: 'Send the lease.', dueAt: '2026-05-12T10:00:00Z' }), 'en', 'https://x/j-1');
    expect(reminder.body).toContain('Send the lease.');
    expect(reminder.body).toContain('Please answer before 12 May 2026.');
    const lapsed = { question: 'Send the lease.', dueAt: '2026-05-12T10:00:00Z', termDueAt: '2026-06-20T10:00:00Z' };
    expect(renderMessage(undefined, ctx('information.lapsed', lapsed), 'en', 'https://x/j-1').body).toContain('We did not get an answer by 12 May 2026. We now go on with what we have.');
    expect(renderMessage(undefined, ctx('information.lapsed', lapsed), 'nl', 'https://x/j-1').body).toContain('U hoort van ons uiterlijk op 20 juni 2026.');
    expect(renderMessage(undefined, ctx('information.lapsed', lapsed), 'fr', 'https://x/j-1').body).toContain('au plus tard le 20 juin 2026');
    expect(renderMessage(undefined, ctx('information.lapsed', lapsed), 'de', 'https://x/j-1').sms).toContain('https://x/j-1');
  });
});
