import { LANGUAGES } from '@levensloop/domain';
import { renderSupervisorNotice, supervisorNoticeOf } from './supervisor-notices';

describe("the supervisors' notice of an escalation", () => {
  it('is filed for an escalated step only, once per step, naming its task', () => {
    expect(supervisorNoticeOf('j1', { type: 'step.escalated', step: 'review' })).toEqual({ kind: 'task.escalated', dedupKey: 'j1/review/escalated', taskId: 'j1.review' });
    expect(supervisorNoticeOf('j1', { type: 'step.warning', step: 'review' })).toBeUndefined();
    expect(supervisorNoticeOf('j1', { type: 'step.escalated' })).toBeUndefined();
  });

  it('speaks every language, with the titles in it (else Dutch) and the due date', () => {
    const values = { stepTitle: { nl: 'Nakijken', fr: 'Vérifier' }, journeyTitle: { nl: 'Geboorte', en: 'Birth' }, dueAt: '2026-12-01T10:00:00.000Z' };
    const texts = LANGUAGES.map((lang) => renderSupervisorNotice('task.escalated', lang, values));
    expect(new Set(texts.map((t) => t.body)).size).toBe(4);
    expect(texts[0]).toEqual({ subject: 'Escalatie: Nakijken', body: expect.stringContaining('"Geboorte" is te laat (moest klaar zijn op 1 december 2026)') });
    expect(texts[1].subject).toBe('Escalade : Vérifier');
    expect(texts[3].body).toContain('"Nakijken" in the file "Birth" is late (it was due on 1 December 2026)');
    expect(renderSupervisorNotice('task.escalated', 'en', { ...values, dueAt: null }).body).not.toContain('due');
  });
});
