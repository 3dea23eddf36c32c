import { LANGUAGES } from '@levensloop/domain';
import { categoryOfTimelineEvent, MESSAGE_CATEGORIES } from './categories';
import { COMPLETION_AGAIN_CATEGORIES } from './completion-again';
import { defaultTemplate } from './default-templates';
import { placeholdersOf, renderText, validateTemplate } from './templates';

describe('a journey that completes again', () => {
  it('tells the first completion as ever, one after a revised decision as complete again, one after an upheld objection not at all', () => {
    expect(categoryOfTimelineEvent({ type: 'journey.completed' })).toBe('journey.completed');
    expect(categoryOfTimelineEvent({ type: 'journey.completed', detail: { again: true, revised: true } })).toBe('journey.completed_again');
    expect(categoryOfTimelineEvent({ type: 'journey.completed', detail: { again: true, revised: false } })).toBeUndefined();
  });

  it('is a message category of the journey as a whole (global templates only), in the one list', () => {
    expect(MESSAGE_CATEGORIES['journey.completed_again']).toBe(COMPLETION_AGAIN_CATEGORIES['journey.completed_again']);
    expect(MESSAGE_CATEGORIES['journey.completed_again'].scope).toBe('journey');
  });

  test.each(LANGUAGES)('its default text in %s is valid, links the file and says why', (language) => {
    const template = defaultTemplate('journey.completed_again', language);
    expect(validateTemplate(template)).toEqual([]);
    expect(placeholdersOf(template.body)).toContain('link');
    expect(placeholdersOf(template.sms)).toContain('link');
    const body = renderText(template.body, { recipientName: 'Ann', journeyTitle: 'Support', dossierNumber: 'j-1', link: 'https://x/j/1', summary: '' });
    expect(body).toContain('https://x/j/1');
    expect(body).not.toBe(renderText(defaultTemplate('journey.completed', language).body, { recipientName: 'Ann', journeyTitle: 'Support', dossierNumber: 'j-1', link: 'https://x/j/1', summary: '' }));
  });
});
