import type { TimelineEvent } from '@levensloop/domain';
import type { NotificationCategory } from './categories';
import { COMMON_FIELDS, questionAndNewDate, type BuiltInTemplates } from './built-in-messages';

/**
 * What the citizen is told as a caseworker's request for information nears and passes its due
 * date (issue 15): a reminder before it (asking them to act), and, when no answer came, that the
 * agency goes on without it and when they hear from it. Plain language, the four languages,
 * built-in texts (as the legal clock's, legal-clock.ts).
 */

export const INFORMATION_DUE_CATEGORIES: Record<string, NotificationCategory> = {
  'information.reminder': {
    key: 'information.reminder',
    titles: { nl: 'Herinnering: wij wachten op uw informatie', fr: 'Rappel : nous attendons vos informations', de: 'Erinnerung: Wir warten auf Ihre Angaben', en: 'Reminder: we are waiting for your information' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'agencyName', 'question', 'dueDate'],
    actionNeeded: true,
    scope: 'step',
  },
  'information.lapsed': {
    key: 'information.lapsed',
    titles: { nl: 'Wij kregen uw informatie niet op tijd', fr: "Nous n'avons pas reçu vos informations à temps", de: 'Ihre Angaben kamen nicht rechtzeitig', en: 'We did not get your information in time' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'agencyName', 'question', 'dueDate', 'newDueDate'],
    actionNeeded: false,
    scope: 'step',
  },
};

/** The message a request's due-date event files. */
export function informationDueCategoryOf(e: Pick<TimelineEvent, 'type'>): string | undefined {
  if (e.type === 'step.information_reminder') return 'information.reminder';
  if (e.type === 'step.information_lapsed') return 'information.lapsed';
  return undefined;
}

/** The values these templates use besides the common ones: what was asked, and the term's new date after a lapse. */
export const informationDueValues = questionAndNewDate(INFORMATION_DUE_CATEGORIES, 'termDueAt');

export const INFORMATION_DUE_TEMPLATES: BuiltInTemplates = {
  'information.reminder': {
    nl: {
      subject: 'Herinnering: wij wachten op uw informatie voor {{stepTitle}}',
      body: 'Beste {{recipientName}},\n\n{{agencyName}} vroeg u om informatie voor uw dossier "{{journeyTitle}}":\n{{question}}\nWe hebben nog geen antwoord.{{#dueDate}} Antwoord graag voor {{dueDate}}.{{/dueDate}} Daarna gaan we verder zonder uw antwoord.\n\nAntwoord op {{link}}',
      sms: 'Herinnering: wij wachten op uw informatie voor "{{journeyTitle}}"{{#dueDate}}, graag voor {{dueDate}}{{/dueDate}}. {{link}}',
    },
    fr: {
      subject: 'Rappel : nous attendons vos informations pour {{stepTitle}}',
      body: "Bonjour {{recipientName}},\n\n{{agencyName}} vous a demandé des informations pour votre dossier « {{journeyTitle}} » :\n{{question}}\nNous n'avons pas encore de réponse.{{#dueDate}} Merci de répondre avant le {{dueDate}}.{{/dueDate}} Ensuite, nous continuerons sans votre réponse.\n\nRépondez sur {{link}}",
      sms: 'Rappel : nous attendons vos informations pour « {{journeyTitle}} »{{#dueDate}}, avant le {{dueDate}}{{/dueDate}}. {{link}}',
    },
    de: {
      subject: 'Erinnerung: Wir warten auf Ihre Angaben für {{stepTitle}}',
      body: 'Guten Tag {{recipientName}},\n\n{{agencyName}} hat Sie um Angaben für Ihre Akte „{{journeyTitle}}" gebeten:\n{{question}}\nWir haben noch keine Antwort.{{#dueDate}} Bitte antworten Sie bis zum {{dueDate}}.{{/dueDate}} Danach machen wir ohne Ihre Antwort weiter.\n\nAntworten Sie unter {{link}}',
      sms: 'Erinnerung: Wir warten auf Ihre Angaben für „{{journeyTitle}}"{{#dueDate}}, bis zum {{dueDate}}{{/dueDate}}. {{link}}',
    },
    en: {
      subject: 'Reminder: we are waiting for your information for {{stepTitle}}',
      body: 'Dear {{recipientName}},\n\n{{agencyName}} asked you for information for your file "{{journeyTitle}}":\n{{question}}\nWe do not have your answer yet.{{#dueDate}} Please answer before {{dueDate}}.{{/dueDate}} After that, we go on without your answer.\n\nAnswer at {{link}}',
      sms: 'Reminder: we are waiting for your information for "{{journeyTitle}}"{{#dueDate}}, please answer before {{dueDate}}{{/dueDate}}. {{link}}',
    },
  },
  'information.lapsed': {
    nl: {
      subject: 'Wij kregen uw informatie voor {{stepTitle}} niet op tijd',
      body: 'Beste {{recipientName}},\n\n{{agencyName}} vroeg u om informatie voor uw dossier "{{journeyTitle}}":\n{{question}}\nWe kregen geen antwoord{{#dueDate}} voor {{dueDate}}{{/dueDate}}. We gaan nu verder met wat we hebben. De termijn loopt weer.{{#newDueDate}}\nU hoort van ons uiterlijk op {{newDueDate}}.{{/newDueDate}}\n\nVolg uw dossier op {{link}}',
      sms: 'We kregen uw informatie voor "{{journeyTitle}}" niet op tijd en gaan verder zonder. {{link}}',
    },
    fr: {
      subject: "Nous n'avons pas reçu à temps vos informations pour {{stepTitle}}",
      body: "Bonjour {{recipientName}},\n\n{{agencyName}} vous a demandé des informations pour votre dossier « {{journeyTitle}} » :\n{{question}}\nNous n'avons pas reçu de réponse{{#dueDate}} avant le {{dueDate}}{{/dueDate}}. Nous continuons maintenant avec ce que nous avons. Le délai reprend.{{#newDueDate}}\nVous aurez de nos nouvelles au plus tard le {{newDueDate}}.{{/newDueDate}}\n\nSuivez votre dossier sur {{link}}",
      sms: "Nous n'avons pas reçu à temps vos informations pour « {{journeyTitle}} » et continuons sans elles. {{link}}",
    },
    de: {
      subject: 'Ihre Angaben für {{stepTitle}} kamen nicht rechtzeitig',
      body: 'Guten Tag {{recipientName}},\n\n{{agencyName}} hat Sie um Angaben für Ihre Akte „{{journeyTitle}}" gebeten:\n{{question}}\nWir haben keine Antwort erhalten{{#dueDate}} bis zum {{dueDate}}{{/dueDate}}. Wir machen jetzt mit dem weiter, was wir haben. Die Frist läuft wieder.{{#newDueDate}}\nSie hören spätestens am {{newDueDate}} von uns.{{/newDueDate}}\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Ihre Angaben für „{{journeyTitle}}" kamen nicht rechtzeitig; wir machen ohne sie weiter. {{link}}',
    },
    en: {
      subject: 'We did not get your information for {{stepTitle}} in time',
      body: 'Dear {{recipientName}},\n\n{{agencyName}} asked you for information for your file "{{journeyTitle}}":\n{{question}}\nWe did not get an answer{{#dueDate}} by {{dueDate}}{{/dueDate}}. We now go on with what we have. The term runs again.{{#newDueDate}}\nYou will hear from us by {{newDueDate}} at the latest.{{/newDueDate}}\n\nFollow your file at {{link}}',
      sms: 'We did not get your information for "{{journeyTitle}}" in time and go on without it. {{link}}',
    },
  },
};
