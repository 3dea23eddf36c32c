import type { NotificationCategory } from './categories';
import { COMMON_FIELDS, type BuiltInTemplates } from './built-in-messages';

/** What the citizen is told of an appeal after an upheld objection: that it was received, and its outcome. */
export const APPEAL_CATEGORIES: Record<string, NotificationCategory> = {
  'appeal.received': {
    key: 'appeal.received',
    titles: { nl: 'Uw beroep is ontvangen', fr: 'Votre recours a été reçu', de: 'Ihre Beschwerde ist eingegangen', en: 'Your appeal was received' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'dueDate'],
    actionNeeded: false,
    scope: 'step',
  },
  'appeal.decided': {
    key: 'appeal.decided',
    titles: { nl: 'Over uw beroep is beslist', fr: 'Votre recours a été tranché', de: 'Über Ihre Beschwerde wurde entschieden', en: 'Your appeal was decided' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'outcome', 'explanation'],
    actionNeeded: false,
    scope: 'step',
  },
};

/** The timeline events of appeals that the citizen is told of. */
export function appealCategoryOf(type: string): string | undefined {
  if (type === 'decision.appeal_filed') return 'appeal.received';
  if (type === 'decision.appeal_upheld' || type === 'decision.appeal_revised') return 'appeal.decided';
  return undefined;
}

export const APPEAL_TEMPLATES: BuiltInTemplates = {
  'appeal.received': {
    nl: {
      subject: 'Uw beroep in "{{journeyTitle}}" is ontvangen',
      body: 'Beste {{recipientName}},\n\nWe hebben uw beroep tegen de beslissing over {{stepTitle}} ontvangen. Een medewerker die er nog niet over besliste, bekijkt de beslissing opnieuw.{{#dueDate}}\nU krijgt een antwoord uiterlijk op {{dueDate}}.{{/dueDate}}\n\nVolg uw dossier op {{link}}',
      sms: 'Uw beroep in "{{journeyTitle}}" is ontvangen. Volg het op {{link}}',
    },
    fr: {
      subject: 'Votre recours dans « {{journeyTitle}} » a été reçu',
      body: "Bonjour {{recipientName}},\n\nNous avons reçu votre recours contre la décision concernant {{stepTitle}}. Un agent qui n'en a pas encore décidé réexamine la décision.{{#dueDate}}\nVous recevrez une réponse au plus tard le {{dueDate}}.{{/dueDate}}\n\nSuivez votre dossier sur {{link}}",
      sms: 'Votre recours dans « {{journeyTitle}} » a été reçu. Suivez-le sur {{link}}',
    },
    de: {
      subject: 'Ihre Beschwerde in „{{journeyTitle}}" ist eingegangen',
      body: 'Guten Tag {{recipientName}},\n\nwir haben Ihre Beschwerde gegen die Entscheidung zu {{stepTitle}} erhalten. Ein Sachbearbeiter, der noch nicht darüber entschieden hat, prüft die Entscheidung erneut.{{#dueDate}}\nSie erhalten eine Antwort spätestens am {{dueDate}}.{{/dueDate}}\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Ihre Beschwerde in „{{journeyTitle}}" ist eingegangen. Mehr unter {{link}}',
    },
    en: {
      subject: 'Your appeal in "{{journeyTitle}}" was received',
      body: 'Dear {{recipientName}},\n\nWe received your appeal against the decision on {{stepTitle}}. A caseworker who has not decided on it yet will look at the decision again.{{#dueDate}}\nYou will get an answer by {{dueDate}} at the latest.{{/dueDate}}\n\nFollow your file at {{link}}',
      sms: 'Your appeal in "{{journeyTitle}}" was received. Follow it at {{link}}',
    },
  },
  'appeal.decided': {
    nl: {
      subject: 'Over uw beroep in "{{journeyTitle}}" is beslist',
      body: 'Beste {{recipientName}},\n\nWe hebben de beslissing over {{stepTitle}} in beroep opnieuw bekeken. De beslissing is nu: {{outcome}}.{{#explanation}}\nWaarom: {{explanation}}{{/explanation}}\n\nLees alles op {{link}}',
      sms: 'Over uw beroep in "{{journeyTitle}}" is beslist: {{outcome}}. Lees alles op {{link}}',
    },
    fr: {
      subject: 'Votre recours dans « {{journeyTitle}} » a été tranché',
      body: 'Bonjour {{recipientName}},\n\nNous avons réexaminé en recours la décision concernant {{stepTitle}}. La décision est maintenant : {{outcome}}.{{#explanation}}\nPourquoi : {{explanation}}{{/explanation}}\n\nTous les détails sur {{link}}',
      sms: 'Votre recours dans « {{journeyTitle}} » a été tranché : {{outcome}}. Détails sur {{link}}',
    },
    de: {
      subject: 'Über Ihre Beschwerde in „{{journeyTitle}}" wurde entschieden',
      body: 'Guten Tag {{recipientName}},\n\nwir haben die Entscheidung zu {{stepTitle}} auf Ihre Beschwerde hin erneut geprüft. Die Entscheidung lautet jetzt: {{outcome}}.{{#explanation}}\nWarum: {{explanation}}{{/explanation}}\n\nAlles lesen unter {{link}}',
      sms: 'Über Ihre Beschwerde in „{{journeyTitle}}" wurde entschieden: {{outcome}}. Alles unter {{link}}',
    },
    en: {
      subject: 'Your appeal in "{{journeyTitle}}" was decided',
      body: 'Dear {{recipientName}},\n\nWe looked at the decision on {{stepTitle}} again on appeal. The decision is now: {{outcome}}.{{#explanation}}\nWhy: {{explanation}}{{/explanation}}\n\nRead everything at {{link}}',
      sms: 'Your appeal in "{{journeyTitle}}" was decided: {{outcome}}. Read it at {{link}}',
    },
  },
};
