import type { Language, TimelineEvent } from '@levensloop/domain';
import type { NotificationCategory } from './categories';
import type { NotificationTemplate } from './templates';

/**
 * A journey that completes a second time: an objection or an override re-opened it after it had
 * completed (the workflow marks that completion `again`, and `revised` when a decision changed).
 *
 * What a citizen expects: they were told "your file is complete" once. When a revised decision
 * made steps run again, the outcome of their file changed, so they are told once more, and told
 * why ("complete again, after the revised decision"), not the first message a second time. When
 * the objection was upheld nothing changed: the objection's own message already said so, and a
 * second "complete" would only make them wonder what happened, so nothing is sent.
 */
export const COMPLETION_AGAIN_CATEGORIES: Record<string, NotificationCategory> = {
  'journey.completed_again': {
    key: 'journey.completed_again',
    titles: {
      nl: 'Uw dossier is opnieuw afgerond',
      fr: 'Votre dossier est à nouveau clôturé',
      de: 'Ihre Akte ist erneut abgeschlossen',
      en: 'Your file is complete again',
    },
    fields: ['recipientName', 'subjectName', 'journeyTitle', 'dossierNumber', 'link', 'summary'],
    actionNeeded: false,
    scope: 'journey',
  },
};

/** The message of a `journey.completed` event: the first completion's, the one after a revision, or none. */
export function completionCategoryOf(e: Pick<TimelineEvent, 'detail'>): string | undefined {
  if (e.detail?.again !== true) return 'journey.completed';
  return e.detail.revised === true ? 'journey.completed_again' : undefined;
}

type Text = Omit<NotificationTemplate, 'category' | 'language'>;

export const COMPLETION_AGAIN_TEMPLATES: Record<string, Record<Language, Text>> = {
  'journey.completed_again': {
    nl: {
      subject: 'Uw dossier "{{journeyTitle}}" is opnieuw afgerond',
      body: 'Beste {{recipientName}},\n\nEen beslissing in uw dossier "{{journeyTitle}}" ({{dossierNumber}}) is herzien. Daarom hebben we de stappen die ervan afhingen opnieuw gedaan.\nUw dossier is nu opnieuw afgerond, met de herziene beslissing.{{#summary}}\n{{summary}}{{/summary}}\n\nBekijk het resultaat op {{link}}',
      sms: 'Uw dossier "{{journeyTitle}}" is opnieuw afgerond na de herziene beslissing. Bekijk het op {{link}}',
    },
    fr: {
      subject: 'Votre dossier « {{journeyTitle}} » est à nouveau clôturé',
      body: 'Bonjour {{recipientName}},\n\nUne décision de votre dossier « {{journeyTitle}} » ({{dossierNumber}}) a été revue. Nous avons donc refait les étapes qui en dépendaient.\nVotre dossier est maintenant à nouveau clôturé, avec la décision revue.{{#summary}}\n{{summary}}{{/summary}}\n\nVoyez le résultat sur {{link}}',
      sms: 'Votre dossier « {{journeyTitle}} » est à nouveau clôturé après la décision revue. Voir {{link}}',
    },
    de: {
      subject: 'Ihre Akte „{{journeyTitle}}" ist erneut abgeschlossen',
      body: 'Guten Tag {{recipientName}},\n\neine Entscheidung in Ihrer Akte „{{journeyTitle}}" ({{dossierNumber}}) wurde geändert. Deshalb haben wir die Schritte, die davon abhingen, noch einmal gemacht.\nIhre Akte ist jetzt erneut abgeschlossen, mit der geänderten Entscheidung.{{#summary}}\n{{summary}}{{/summary}}\n\nDas Ergebnis finden Sie unter {{link}}',
      sms: 'Ihre Akte „{{journeyTitle}}" ist nach der geänderten Entscheidung erneut abgeschlossen. Siehe {{link}}',
    },
    en: {
      subject: 'Your file "{{journeyTitle}}" is complete again',
      body: 'Dear {{recipientName}},\n\nA decision in your file "{{journeyTitle}}" ({{dossierNumber}}) was revised. So we did the steps that depended on it again.\nYour file is now complete again, with the revised decision.{{#summary}}\n{{summary}}{{/summary}}\n\nSee the result at {{link}}',
      sms: 'Your file "{{journeyTitle}}" is complete again after the revised decision. See {{link}}',
    },
  },
};
