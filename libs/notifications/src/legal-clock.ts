import type { TimelineEvent } from '@levensloop/domain';
import type { NotificationCategory } from './categories';
import { COMMON_FIELDS, questionAndNewDate, type BuiltInTemplates } from './built-in-messages';

/**
 * What the citizen is told of a step's legal clock (issue 15): a caseworker asks them for
 * information (the term stands still until they answer), the term stands still while they are
 * asked a consent or data, it runs again once they answered (with the new date), and it was
 * extended (with the reason and the new date). Each in plain language, in the four languages.
 */

export const LEGAL_CLOCK_CATEGORIES: Record<string, NotificationCategory> = {
  'information.requested': {
    key: 'information.requested',
    titles: { nl: 'Wij hebben meer informatie nodig', fr: "Nous avons besoin d'informations", de: 'Wir brauchen weitere Angaben', en: 'We need more information' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'agencyName', 'question', 'dueDate'],
    actionNeeded: true,
    scope: 'step',
  },
  'term.suspended': {
    key: 'term.suspended',
    titles: { nl: 'De termijn staat stil', fr: 'Le délai est suspendu', de: 'Die Frist ist angehalten', en: 'The term is paused' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'agencyName'],
    actionNeeded: false,
    scope: 'step',
  },
  'term.resumed': {
    key: 'term.resumed',
    titles: { nl: 'De termijn loopt weer', fr: 'Le délai reprend', de: 'Die Frist läuft wieder', en: 'The term runs again' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'agencyName', 'newDueDate'],
    actionNeeded: false,
    scope: 'step',
  },
  'term.extended': {
    key: 'term.extended',
    titles: { nl: 'De termijn is verlengd', fr: 'Le délai est prolongé', de: 'Die Frist wurde verlängert', en: 'The term was extended' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'agencyName', 'newDueDate', 'reason'],
    actionNeeded: false,
    scope: 'step',
  },
};

/**
 * The message a legal-clock event files, if any. A suspension for a request for information is
 * told in the request itself; the answer is told with the clock that resumes.
 */
export function legalClockCategoryOf(e: Pick<TimelineEvent, 'type' | 'detail'>): string | undefined {
  switch (e.type) {
    case 'step.information_requested':
      return 'information.requested';
    case 'step.clock_suspended':
      return e.detail?.reason === 'information' ? undefined : 'term.suspended';
    case 'step.clock_resumed':
      return 'term.resumed';
    case 'step.term_extended':
      return 'term.extended';
    default:
      return undefined;
  }
}

/** The values the legal clock's templates use besides the common ones: what is asked, the term's new date. */
export const legalClockValues = questionAndNewDate(LEGAL_CLOCK_CATEGORIES, 'dueAt');

export const LEGAL_CLOCK_TEMPLATES: BuiltInTemplates = {
  'information.requested': {
    nl: {
      subject: 'Wij hebben meer informatie nodig: {{stepTitle}}',
      body: 'Beste {{recipientName}},\n\nVoor uw dossier "{{journeyTitle}}" vraagt {{agencyName}} u om meer informatie:\n{{question}}{{#dueDate}}\nGraag voor {{dueDate}}.{{/dueDate}}\nZolang we op uw antwoord wachten, staat de termijn voor {{stepTitle}} stil.\n\nAntwoord op {{link}}',
      sms: 'Wij hebben meer informatie nodig voor "{{journeyTitle}}". Antwoord op {{link}}',
    },
    fr: {
      subject: "Nous avons besoin d'informations : {{stepTitle}}",
      body: "Bonjour {{recipientName}},\n\nPour votre dossier « {{journeyTitle}} », {{agencyName}} vous demande des informations :\n{{question}}{{#dueDate}}\nMerci de répondre avant le {{dueDate}}.{{/dueDate}}\nTant que nous attendons votre réponse, le délai pour {{stepTitle}} est suspendu.\n\nRépondez sur {{link}}",
      sms: "Nous avons besoin d'informations pour « {{journeyTitle}} ». Répondez sur {{link}}",
    },
    de: {
      subject: 'Wir brauchen weitere Angaben: {{stepTitle}}',
      body: 'Guten Tag {{recipientName}},\n\nfür Ihre Akte „{{journeyTitle}}" bittet {{agencyName}} Sie um weitere Angaben:\n{{question}}{{#dueDate}}\nBitte antworten Sie bis zum {{dueDate}}.{{/dueDate}}\nSolange wir auf Ihre Antwort warten, ist die Frist für {{stepTitle}} angehalten.\n\nAntworten Sie unter {{link}}',
      sms: 'Wir brauchen weitere Angaben für „{{journeyTitle}}". Antworten Sie unter {{link}}',
    },
    en: {
      subject: 'We need more information: {{stepTitle}}',
      body: 'Dear {{recipientName}},\n\nFor your file "{{journeyTitle}}", {{agencyName}} asks you for more information:\n{{question}}{{#dueDate}}\nPlease answer before {{dueDate}}.{{/dueDate}}\nWhile we wait for your answer, the term for {{stepTitle}} is paused.\n\nAnswer at {{link}}',
      sms: 'We need more information for "{{journeyTitle}}". Answer at {{link}}',
    },
  },
  'term.suspended': {
    nl: {
      subject: 'De termijn voor {{stepTitle}} staat stil',
      body: 'Beste {{recipientName}},\n\nWe wachten op iets van u voor uw dossier "{{journeyTitle}}". Zolang we wachten, staat de termijn van {{agencyName}} voor {{stepTitle}} stil. Zodra u antwoordt, loopt hij verder.\n\nGa naar {{link}}',
      sms: 'De termijn voor "{{journeyTitle}}" staat stil tot u antwoordt. {{link}}',
    },
    fr: {
      subject: 'Le délai pour {{stepTitle}} est suspendu',
      body: 'Bonjour {{recipientName}},\n\nNous attendons une réponse de votre part pour votre dossier « {{journeyTitle}} ». En attendant, le délai de {{agencyName}} pour {{stepTitle}} est suspendu. Il reprend dès que vous répondez.\n\nRendez-vous sur {{link}}',
      sms: 'Le délai pour « {{journeyTitle}} » est suspendu jusqu’à votre réponse. {{link}}',
    },
    de: {
      subject: 'Die Frist für {{stepTitle}} ist angehalten',
      body: 'Guten Tag {{recipientName}},\n\nwir warten auf etwas von Ihnen für Ihre Akte „{{journeyTitle}}". Solange wir warten, ist die Frist von {{agencyName}} für {{stepTitle}} angehalten. Sobald Sie antworten, läuft sie weiter.\n\nGehen Sie zu {{link}}',
      sms: 'Die Frist für „{{journeyTitle}}" ist bis zu Ihrer Antwort angehalten. {{link}}',
    },
    en: {
      subject: 'The term for {{stepTitle}} is paused',
      body: 'Dear {{recipientName}},\n\nWe are waiting for something from you in your file "{{journeyTitle}}". While we wait, the term of {{agencyName}} for {{stepTitle}} is paused. It runs again as soon as you answer.\n\nGo to {{link}}',
      sms: 'The term for "{{journeyTitle}}" is paused until you answer. {{link}}',
    },
  },
  'term.resumed': {
    nl: {
      subject: 'Bedankt voor uw antwoord: de termijn loopt weer',
      body: 'Beste {{recipientName}},\n\nWe hebben uw antwoord voor uw dossier "{{journeyTitle}}". De termijn van {{agencyName}} voor {{stepTitle}} loopt weer.{{#newDueDate}}\nU hoort van ons uiterlijk op {{newDueDate}}.{{/newDueDate}}\n\nVolg uw dossier op {{link}}',
      sms: 'Bedankt voor uw antwoord. "{{journeyTitle}}" loopt weer{{#newDueDate}}, klaar uiterlijk {{newDueDate}}{{/newDueDate}}. {{link}}',
    },
    fr: {
      subject: 'Merci pour votre réponse : le délai reprend',
      body: 'Bonjour {{recipientName}},\n\nNous avons reçu votre réponse pour votre dossier « {{journeyTitle}} ». Le délai de {{agencyName}} pour {{stepTitle}} reprend.{{#newDueDate}}\nVous aurez de nos nouvelles au plus tard le {{newDueDate}}.{{/newDueDate}}\n\nSuivez votre dossier sur {{link}}',
      sms: 'Merci pour votre réponse. « {{journeyTitle}} » reprend{{#newDueDate}}, au plus tard le {{newDueDate}}{{/newDueDate}}. {{link}}',
    },
    de: {
      subject: 'Danke für Ihre Antwort: Die Frist läuft wieder',
      body: 'Guten Tag {{recipientName}},\n\nwir haben Ihre Antwort für Ihre Akte „{{journeyTitle}}" erhalten. Die Frist von {{agencyName}} für {{stepTitle}} läuft wieder.{{#newDueDate}}\nSie hören spätestens am {{newDueDate}} von uns.{{/newDueDate}}\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Danke für Ihre Antwort. „{{journeyTitle}}" läuft wieder{{#newDueDate}}, spätestens bis {{newDueDate}}{{/newDueDate}}. {{link}}',
    },
    en: {
      subject: 'Thank you for your answer: the term runs again',
      body: 'Dear {{recipientName}},\n\nWe have your answer for your file "{{journeyTitle}}". The term of {{agencyName}} for {{stepTitle}} runs again.{{#newDueDate}}\nYou will hear from us by {{newDueDate}} at the latest.{{/newDueDate}}\n\nFollow your file at {{link}}',
      sms: 'Thank you for your answer. "{{journeyTitle}}" runs again{{#newDueDate}}, ready by {{newDueDate}}{{/newDueDate}}. {{link}}',
    },
  },
  'term.extended': {
    nl: {
      subject: 'De termijn voor {{stepTitle}} is verlengd',
      body: 'Beste {{recipientName}},\n\n{{agencyName}} heeft meer tijd nodig voor {{stepTitle}} in uw dossier "{{journeyTitle}}".{{#reason}}\nWaarom: {{reason}}{{/reason}}{{#newDueDate}}\nU hoort van ons uiterlijk op {{newDueDate}}.{{/newDueDate}} U hoeft niets te doen.\n\nVolg uw dossier op {{link}}',
      sms: 'De termijn voor "{{journeyTitle}}" is verlengd{{#newDueDate}} tot {{newDueDate}}{{/newDueDate}}. {{link}}',
    },
    fr: {
      subject: 'Le délai pour {{stepTitle}} est prolongé',
      body: 'Bonjour {{recipientName}},\n\n{{agencyName}} a besoin de plus de temps pour {{stepTitle}} dans votre dossier « {{journeyTitle}} ».{{#reason}}\nPourquoi : {{reason}}{{/reason}}{{#newDueDate}}\nVous aurez de nos nouvelles au plus tard le {{newDueDate}}.{{/newDueDate}} Vous ne devez rien faire.\n\nSuivez votre dossier sur {{link}}',
      sms: 'Le délai pour « {{journeyTitle}} » est prolongé{{#newDueDate}} jusqu’au {{newDueDate}}{{/newDueDate}}. {{link}}',
    },
    de: {
      subject: 'Die Frist für {{stepTitle}} wurde verlängert',
      body: 'Guten Tag {{recipientName}},\n\n{{agencyName}} braucht mehr Zeit für {{stepTitle}} in Ihrer Akte „{{journeyTitle}}".{{#reason}}\nWarum: {{reason}}{{/reason}}{{#newDueDate}}\nSie hören spätestens am {{newDueDate}} von uns.{{/newDueDate}} Sie müssen nichts tun.\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Die Frist für „{{journeyTitle}}" wurde verlängert{{#newDueDate}} bis {{newDueDate}}{{/newDueDate}}. {{link}}',
    },
    en: {
      subject: 'The term for {{stepTitle}} was extended',
      body: 'Dear {{recipientName}},\n\n{{agencyName}} needs more time for {{stepTitle}} in your file "{{journeyTitle}}".{{#reason}}\nWhy: {{reason}}{{/reason}}{{#newDueDate}}\nYou will hear from us by {{newDueDate}} at the latest.{{/newDueDate}} You do not need to do anything.\n\nFollow your file at {{link}}',
      sms: 'The term for "{{journeyTitle}}" was extended{{#newDueDate}} to {{newDueDate}}{{/newDueDate}}. {{link}}',
    },
  },
};
