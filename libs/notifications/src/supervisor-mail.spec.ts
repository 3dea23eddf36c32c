import { LANGUAGES } from '@levensloop/domain';
import { categoryOfTimelineEvent, MESSAGE_CATEGORIES } from './categories';
import { renderMessage, toDeliveryContext } from './content';
import { defaultTemplate } from './default-templates';
import { isSupervisorMail, messageLink, supervisorMailOf } from './supervisor-mail';
import { placeholdersOf, validateTemplate } from './templates';

describe("an escalation's e-mail to the agency's supervisors", () => {
  it('is filed once per escalated step, under a key of its own, and is no message to the citizen', () => {
    expect(supervisorMailOf('j1', { type: 'step.escalated', step: 'intake' })).toEqual({ category: 'task.escalated', dedupKey: 'j1/intake/escalated/mail' });
    expect(supervisorMailOf('j1', { type: 'step.warning', step: 'intake' } as never)).toBeUndefined();
    expect(categoryOfTimelineEvent({ type: 'step.escalated' })).toBeUndefined();
    expect(isSupervisorMail('task.escalated')).toBe(true);
    expect(isSupervisorMail('journey.completed')).toBe(false);
    expect(MESSAGE_CATEGORIES['task.escalated'].actionNeeded).toBe(false);
  });

  it("leads to the console's supervision page; a citizen's message to their file", () => {
    expect(messageLink('https://console.example', 'task.escalated', 'j1')).toBe('https://console.example/supervision');
    expect(messageLink('https://console.example', 'journey.started', 'j1')).toBe('https://console.example/journeys/j1');
  });

  test.each(LANGUAGES)('its default text in %s is valid, names the step and the file, and links', (language) => {
    const template = defaultTemplate('task.escalated', language);
    expect(validateTemplate(template)).toEqual([]);
    expect(placeholdersOf(template.body)).toEqual(expect.arrayContaining(['stepTitle', 'journeyTitle', 'link']));
    const ctx = toDeliveryContext({
      delivery_id: 'd1', category: 'task.escalated', data: { dueAt: '2026-12-01T10:00:00.000Z' }, journey_id: 'j1', transaction_id: 'j1', action_needed: false, created_at: new Date(), expires_at: null,
      journey_title: { nl: 'Verhuizen', fr: 'Déménager', de: 'Umziehen', en: 'Moving' }, step_title: { nl: 'Intake', en: 'Intake (en)' }, agency: 'payer', expired: false,
    } as never);
    const message = renderMessage(undefined, ctx, language, 'https://console.example/supervision');
    expect(message.subject).toContain('Intake');
    expect(message.body).toContain('https://console.example/supervision');
    expect(message.body).toContain('j1');
    expect(message.body).toMatch(/2026/);
  });
});
