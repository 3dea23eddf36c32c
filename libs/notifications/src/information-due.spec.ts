import { LANGUAGES } from '@levensloop/domain';
import { categoryOf, categoryOfTimelineEvent } from './categories';
import { renderMessage, templateAgency, type DeliveryContext } from './content';
import { defaultTemplate } from './default-templates';
import { INFORMATION_DUE_CATEGORIES, INFORMATION_DUE_TEMPLATES } from './information-due';
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

describe("what the citizen is told as a request for information's due date nears and passes", () => {
  test.each(Object.keys(INFORMATION_DUE_CATEGORIES).flatMap((c) => LANGUAGES.map((l) => [c, l] as const)))('%s in %s is valid and carries the link everywhere', (category, language) => {
    const template = defaultTemplate(category, language);
    expect(validateTemplate(template)).toEqual([]);
    expect(placeholdersOf(template.body)).toContain('link');
    expect(placeholdersOf(template.sms)).toContain('link');
  });

  test('the reminder and the lapse are filed from their timeline events, in the name of the step’s agency; only the reminder asks to act', () => {
    expect(Object.keys(INFORMATION_DUE_TEMPLATES).sort()).toEqual(Object.keys(INFORMATION_DUE_CATEGORIES).sort());
    expect(categoryOfTimelineEvent({ type: 'step.information_reminder' })).toBe('information.reminder');
    expect(categoryOfTimelineEvent({ type: 'step.information_lapsed' })).toBe('information.lapsed');
    for (const key of Object.keys(INFORMATION_DUE_CATEGORIES)) {
      expect(categoryOf(key)).toBe(INFORMATION_DUE_CATEGORIES[key]);
      expect(templateAgency(key, 'housing')).toBe('housing');
    }
    expect(Object.values(INFORMATION_DUE_CATEGORIES).filter((c) => c.actionNeeded).map((c) => c.key)).toEqual(['information.reminder']);
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
