import type { NotificationCategory } from './categories';
import { COMMON_FIELDS, type BuiltInTemplates } from './built-in-messages';
import { REMEDY_FIELDS } from './remedy';

/** What the citizen is told of an objection: that it was received (and by when it is reviewed), and its outcome. */
export const OBJECTION_CATEGORIES: Record<string, NotificationCategory> = {
  'objection.received': {
    key: 'objection.received',
    titles: { nl: 'Uw bezwaar is ontvangen', fr: 'Votre réclamation a été reçue', de: 'Ihr Widerspruch ist eingegangen', en: 'Your objection was received' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'dueDate'],
    actionNeeded: false,
    scope: 'step',
  },
  'objection.decided': {
    key: 'objection.decided',
    titles: { nl: 'Uw bezwaar is behandeld', fr: 'Votre réclamation a été traitée', de: 'Ihr Widerspruch wurde bearbeitet', en: 'Your objection was reviewed' },
    // remedy*: the appeal that may follow an upheld objection (remedy.ts).
    fields: [...COMMON_FIELDS, 'stepTitle', 'outcome', 'explanation', ...REMEDY_FIELDS],
    actionNeeded: false,
    scope: 'step',
  },
};

/** The timeline events of objections that the citizen is told of. */
export function objectionCategoryOf(type: string): string | undefined {
  if (type === 'decision.objection_filed') return 'objection.received';
  if (type === 'decision.objection_upheld' || type === 'decision.objection_revised') return 'objection.decided';
  return undefined;
}

export const OBJECTION_TEMPLATES: BuiltInTemplates = {
  'objection.received': {
    nl: {
      subject: 'Uw bezwaar in "{{journeyTitle}}" is ontvangen',
      body: 'Beste {{recipientName}},\n\nWe hebben uw bezwaar tegen de beslissing over {{stepTitle}} ontvangen. Een andere medewerker bekijkt de beslissing opnieuw.{{#dueDate}}\nU krijgt een antwoord uiterlijk op {{dueDate}}.{{/dueDate}}\n\nVolg uw dossier op {{link}}',
      sms: 'Uw bezwaar in "{{journeyTitle}}" is ontvangen. Volg het op {{link}}',
    },
    fr: {
      subject: 'Votre réclamation dans « {{journeyTitle}} » a été reçue',
      body: 'Bonjour {{recipientName}},\n\nNous avons reçu votre réclamation contre la décision concernant {{stepTitle}}. Un autre agent réexamine la décision.{{#dueDate}}\nVous recevrez une réponse au plus tard le {{dueDate}}.{{/dueDate}}\n\nSuivez votre dossier sur {{link}}',
      sms: 'Votre réclamation dans « {{journeyTitle}} » a été reçue. Suivez-la sur {{link}}',
    },
    de: {
      subject: 'Ihr Widerspruch in „{{journeyTitle}}" ist eingegangen',
      body: 'Guten Tag {{recipientName}},\n\nwir haben Ihren Widerspruch gegen die Entscheidung zu {{stepTitle}} erhalten. Ein anderer Sachbearbeiter prüft die Entscheidung erneut.{{#dueDate}}\nSie erhalten eine Antwort spätestens am {{dueDate}}.{{/dueDate}}\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Ihr Widerspruch in „{{journeyTitle}}" ist eingegangen. Mehr unter {{link}}',
    },
    en: {
      subject: 'Your objection in "{{journeyTitle}}" was received',
      body: 'Dear {{recipientName}},\n\nWe received your objection to the decision on {{stepTitle}}. Another caseworker will look at the decision again.{{#dueDate}}\nYou will get an answer by {{dueDate}} at the latest.{{/dueDate}}\n\nFollow your file at {{link}}',
      sms: 'Your objection in "{{journeyTitle}}" was received. Follow it at {{link}}',
    },
  },
  'objection.decided': {
    nl: {
      subject: 'Uw bezwaar in "{{journeyTitle}}" is behandeld',
      body: 'Beste {{recipientName}},\n\nWe hebben de beslissing over {{stepTitle}} opnieuw bekeken. De beslissing is nu: {{outcome}}.{{#explanation}}\nWaarom: {{explanation}}{{/explanation}}{{#remedy}}\n\n{{remedy}}{{/remedy}}\n\nLees alles op {{link}}',
      sms: 'Uw bezwaar in "{{journeyTitle}}" is behandeld: {{outcome}}.{{#remedyShort}} {{remedyShort}}{{/remedyShort}} Lees alles op {{link}}',
    },
    fr: {
      subject: 'Votre réclamation dans « {{journeyTitle}} » a été traitée',
      body: 'Bonjour {{recipientName}},\n\nNous avons réexaminé la décision concernant {{stepTitle}}. La décision est maintenant : {{outcome}}.{{#explanation}}\nPourquoi : {{explanation}}{{/explanation}}{{#remedy}}\n\n{{remedy}}{{/remedy}}\n\nTous les détails sur {{link}}',
      sms: 'Votre réclamation dans « {{journeyTitle}} » a été traitée : {{outcome}}.{{#remedyShort}} {{remedyShort}}{{/remedyShort}} Détails sur {{link}}',
    },
    de: {
      subject: 'Ihr Widerspruch in „{{journeyTitle}}" wurde bearbeitet',
      body: 'Guten Tag {{recipientName}},\n\nwir haben die Entscheidung zu {{stepTitle}} erneut geprüft. Die Entscheidung lautet jetzt: {{outcome}}.{{#explanation}}\nWarum: {{explanation}}{{/explanation}}{{#remedy}}\n\n{{remedy}}{{/remedy}}\n\nAlles lesen unter {{link}}',
      sms: 'Ihr Widerspruch in „{{journeyTitle}}" wurde bearbeitet: {{outcome}}.{{#remedyShort}} {{remedyShort}}{{/remedyShort}} Alles unter {{link}}',
    },
    en: {
      subject: 'Your objection in "{{journeyTitle}}" was reviewed',
      body: 'Dear {{recipientName}},\n\nWe looked at the decision on {{stepTitle}} again. The decision is now: {{outcome}}.{{#explanation}}\nWhy: {{explanation}}{{/explanation}}{{#remedy}}\n\n{{remedy}}{{/remedy}}\n\nRead everything at {{link}}',
      sms: 'Your objection in "{{journeyTitle}}" was reviewed: {{outcome}}.{{#remedyShort}} {{remedyShort}}{{/remedyShort}} Read it at {{link}}',
    },
  },
};
