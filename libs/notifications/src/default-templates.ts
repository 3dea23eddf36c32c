import type { Language } from '@levensloop/domain';
import { LEGAL_CLOCK_TEMPLATES } from './legal-clock';
import type { NotificationTemplate } from './templates';
import { OBJECTION_TEMPLATES } from './objection-messages';
import { APPEAL_TEMPLATES } from './appeal-messages';
import { COMPLETION_AGAIN_TEMPLATES } from './completion-again';
import { SUPERVISOR_MAIL_TEMPLATES } from './supervisor-mail';
import { INFORMATION_DUE_TEMPLATES } from './information-due';
import { APPOINTMENT_TEMPLATES } from './appointments/appointment-messages';
import { PAYMENT_TEMPLATES } from './payment-messages';

type Text = Omit<NotificationTemplate, 'category' | 'language'>;

/**
 * What is sent when an agency registered no template of its own: short sentences, the citizen
 * addressed directly, and the web address of the file in every text (also on paper, so the
 * letter leads back into the digital process).
 */
export const DEFAULT_TEMPLATES: Record<string, Record<Language, Text>> = {
  'journey.started': {
    nl: {
      subject: 'Uw dossier "{{journeyTitle}}" is gestart',
      body: 'Beste {{recipientName}},\n\nWe zijn gestart met uw dossier "{{journeyTitle}}" ({{dossierNumber}}).\nU hoeft nu niets te doen. We laten het u weten als we iets van u nodig hebben.\n\nVolg uw dossier op {{link}}',
      sms: 'Uw dossier "{{journeyTitle}}" is gestart. Volg het op {{link}}',
    },
    fr: {
      subject: 'Votre dossier « {{journeyTitle}} » a démarré',
      body: 'Bonjour {{recipientName}},\n\nNous avons ouvert votre dossier « {{journeyTitle}} » ({{dossierNumber}}).\nVous ne devez rien faire pour le moment. Nous vous préviendrons si nous avons besoin de vous.\n\nSuivez votre dossier sur {{link}}',
      sms: 'Votre dossier « {{journeyTitle}} » a démarré. Suivez-le sur {{link}}',
    },
    de: {
      subject: 'Ihre Akte „{{journeyTitle}}" wurde eröffnet',
      body: 'Guten Tag {{recipientName}},\n\nwir haben Ihre Akte „{{journeyTitle}}" ({{dossierNumber}}) eröffnet.\nSie müssen jetzt nichts tun. Wir melden uns, wenn wir etwas von Ihnen brauchen.\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Ihre Akte „{{journeyTitle}}" wurde eröffnet. Verfolgen Sie sie unter {{link}}',
    },
    en: {
      subject: 'Your file "{{journeyTitle}}" has started',
      body: 'Dear {{recipientName}},\n\nWe have started your file "{{journeyTitle}}" ({{dossierNumber}}).\nYou do not need to do anything now. We will tell you when we need something from you.\n\nFollow your file at {{link}}',
      sms: 'Your file "{{journeyTitle}}" has started. Follow it at {{link}}',
    },
  },
  'action.needed': {
    nl: {
      subject: 'Wij hebben iets van u nodig: {{stepTitle}}',
      body: 'Beste {{recipientName}},\n\nVoor uw dossier "{{journeyTitle}}" hebben we iets van u nodig: {{stepTitle}}.{{#what}}\n{{what}}{{/what}}{{#dueDate}}\nGraag voor {{dueDate}}.{{/dueDate}}\n\nGa naar {{link}}',
      sms: 'Wij hebben iets van u nodig voor "{{journeyTitle}}": {{stepTitle}}. Ga naar {{link}}',
    },
    fr: {
      subject: 'Nous avons besoin de vous : {{stepTitle}}',
      body: 'Bonjour {{recipientName}},\n\nPour votre dossier « {{journeyTitle}} », nous avons besoin de vous : {{stepTitle}}.{{#what}}\n{{what}}{{/what}}{{#dueDate}}\nMerci de le faire avant le {{dueDate}}.{{/dueDate}}\n\nRendez-vous sur {{link}}',
      sms: 'Nous avons besoin de vous pour « {{journeyTitle}} » : {{stepTitle}}. Rendez-vous sur {{link}}',
    },
    de: {
      subject: 'Wir brauchen etwas von Ihnen: {{stepTitle}}',
      body: 'Guten Tag {{recipientName}},\n\nfür Ihre Akte „{{journeyTitle}}" brauchen wir etwas von Ihnen: {{stepTitle}}.{{#what}}\n{{what}}{{/what}}{{#dueDate}}\nBitte bis zum {{dueDate}}.{{/dueDate}}\n\nGehen Sie zu {{link}}',
      sms: 'Wir brauchen etwas von Ihnen für „{{journeyTitle}}": {{stepTitle}}. Gehen Sie zu {{link}}',
    },
    en: {
      subject: 'We need something from you: {{stepTitle}}',
      body: 'Dear {{recipientName}},\n\nFor your file "{{journeyTitle}}" we need something from you: {{stepTitle}}.{{#what}}\n{{what}}{{/what}}{{#dueDate}}\nPlease do this before {{dueDate}}.{{/dueDate}}\n\nGo to {{link}}',
      sms: 'We need something from you for "{{journeyTitle}}": {{stepTitle}}. Go to {{link}}',
    },
  },
  'action.reminder': {
    nl: {
      subject: 'Herinnering: {{stepTitle}}',
      body: 'Beste {{recipientName}},\n\nWe wachten nog op u voor uw dossier "{{journeyTitle}}": {{stepTitle}}.{{#dueDate}}\nDoe het voor {{dueDate}}.{{/dueDate}}\n\nGa naar {{link}}',
      sms: 'Herinnering: we wachten op u voor "{{journeyTitle}}"{{#dueDate}}, voor {{dueDate}}{{/dueDate}}. Ga naar {{link}}',
    },
    fr: {
      subject: 'Rappel : {{stepTitle}}',
      body: 'Bonjour {{recipientName}},\n\nNous attendons encore une action de votre part pour votre dossier « {{journeyTitle}} » : {{stepTitle}}.{{#dueDate}}\nFaites-le avant le {{dueDate}}.{{/dueDate}}\n\nRendez-vous sur {{link}}',
      sms: 'Rappel : nous attendons votre action pour « {{journeyTitle}} »{{#dueDate}}, avant le {{dueDate}}{{/dueDate}}. {{link}}',
    },
    de: {
      subject: 'Erinnerung: {{stepTitle}}',
      body: 'Guten Tag {{recipientName}},\n\nwir warten noch auf Sie für Ihre Akte „{{journeyTitle}}": {{stepTitle}}.{{#dueDate}}\nBitte bis zum {{dueDate}}.{{/dueDate}}\n\nGehen Sie zu {{link}}',
      sms: 'Erinnerung: Wir warten auf Sie für „{{journeyTitle}}"{{#dueDate}}, bis zum {{dueDate}}{{/dueDate}}. {{link}}',
    },
    en: {
      subject: 'Reminder: {{stepTitle}}',
      body: 'Dear {{recipientName}},\n\nWe are still waiting for you in your file "{{journeyTitle}}": {{stepTitle}}.{{#dueDate}}\nPlease do this before {{dueDate}}.{{/dueDate}}\n\nGo to {{link}}',
      sms: 'Reminder: we are waiting for you in "{{journeyTitle}}"{{#dueDate}}, before {{dueDate}}{{/dueDate}}. Go to {{link}}',
    },
  },
  'decision.made': {
    nl: {
      subject: 'Beslissing in uw dossier "{{journeyTitle}}"',
      body: 'Beste {{recipientName}},\n\nEr is een beslissing over {{stepTitle}}: {{outcome}}.{{#explanation}}\nWaarom: {{explanation}}{{/explanation}}{{#remedy}}\n\n{{remedy}}{{/remedy}}\n\nLees alles op {{link}}',
      sms: 'Er is een beslissing in "{{journeyTitle}}": {{outcome}}.{{#remedyShort}} {{remedyShort}}{{/remedyShort}} Lees alles op {{link}}',
    },
    fr: {
      subject: 'Décision dans votre dossier « {{journeyTitle}} »',
      body: 'Bonjour {{recipientName}},\n\nUne décision a été prise pour {{stepTitle}} : {{outcome}}.{{#explanation}}\nPourquoi : {{explanation}}{{/explanation}}{{#remedy}}\n\n{{remedy}}{{/remedy}}\n\nTous les détails sur {{link}}',
      sms: 'Décision dans « {{journeyTitle}} » : {{outcome}}.{{#remedyShort}} {{remedyShort}}{{/remedyShort}} Détails sur {{link}}',
    },
    de: {
      subject: 'Entscheidung in Ihrer Akte „{{journeyTitle}}"',
      body: 'Guten Tag {{recipientName}},\n\nes gibt eine Entscheidung zu {{stepTitle}}: {{outcome}}.{{#explanation}}\nWarum: {{explanation}}{{/explanation}}{{#remedy}}\n\n{{remedy}}{{/remedy}}\n\nAlles lesen unter {{link}}',
      sms: 'Entscheidung in „{{journeyTitle}}": {{outcome}}.{{#remedyShort}} {{remedyShort}}{{/remedyShort}} Alles unter {{link}}',
    },
    en: {
      subject: 'Decision in your file "{{journeyTitle}}"',
      body: 'Dear {{recipientName}},\n\nA decision was made on {{stepTitle}}: {{outcome}}.{{#explanation}}\nWhy: {{explanation}}{{/explanation}}{{#remedy}}\n\n{{remedy}}{{/remedy}}\n\nRead everything at {{link}}',
      sms: 'A decision was made in "{{journeyTitle}}": {{outcome}}.{{#remedyShort}} {{remedyShort}}{{/remedyShort}} Read it at {{link}}',
    },
  },
  'service.delayed': {
    nl: {
      subject: 'Uw dossier "{{journeyTitle}}" loopt vertraging op',
      body: 'Beste {{recipientName}},\n\nHet spijt ons: {{stepTitle}} door {{agencyName}} duurt langer dan beloofd.\nWe verwachten het klaar te hebben op {{newExpectedDate}}. U hoeft niets te doen.\n\nVolg uw dossier op {{link}}',
      sms: 'Sorry, "{{journeyTitle}}" loopt vertraging op. Nieuwe datum: {{newExpectedDate}}. {{link}}',
    },
    fr: {
      subject: 'Votre dossier « {{journeyTitle}} » prend du retard',
      body: 'Bonjour {{recipientName}},\n\nNous sommes désolés : {{stepTitle}} par {{agencyName}} prend plus de temps que prévu.\nNous pensons terminer le {{newExpectedDate}}. Vous ne devez rien faire.\n\nSuivez votre dossier sur {{link}}',
      sms: 'Désolés, « {{journeyTitle}} » prend du retard. Nouvelle date : {{newExpectedDate}}. {{link}}',
    },
    de: {
      subject: 'Ihre Akte „{{journeyTitle}}" verzögert sich',
      body: 'Guten Tag {{recipientName}},\n\nes tut uns leid: {{stepTitle}} durch {{agencyName}} dauert länger als versprochen.\nWir erwarten den Abschluss am {{newExpectedDate}}. Sie müssen nichts tun.\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Entschuldigung, „{{journeyTitle}}" verzögert sich. Neues Datum: {{newExpectedDate}}. {{link}}',
    },
    en: {
      subject: 'Your file "{{journeyTitle}}" is delayed',
      body: 'Dear {{recipientName}},\n\nWe are sorry: {{stepTitle}} by {{agencyName}} is taking longer than promised.\nWe now expect it to be ready on {{newExpectedDate}}. You do not need to do anything.\n\nFollow your file at {{link}}',
      sms: 'Sorry, "{{journeyTitle}}" is delayed. New date: {{newExpectedDate}}. {{link}}',
    },
  },
  'journey.completed': {
    nl: {
      subject: 'Uw dossier "{{journeyTitle}}" is afgerond',
      body: 'Beste {{recipientName}},\n\nUw dossier "{{journeyTitle}}" ({{dossierNumber}}) is afgerond.{{#summary}}\n{{summary}}{{/summary}}\n\nBekijk het resultaat op {{link}}',
      sms: 'Uw dossier "{{journeyTitle}}" is afgerond. Bekijk het op {{link}}',
    },
    fr: {
      subject: 'Votre dossier « {{journeyTitle}} » est clôturé',
      body: 'Bonjour {{recipientName}},\n\nVotre dossier « {{journeyTitle}} » ({{dossierNumber}}) est clôturé.{{#summary}}\n{{summary}}{{/summary}}\n\nVoyez le résultat sur {{link}}',
      sms: 'Votre dossier « {{journeyTitle}} » est clôturé. Voir {{link}}',
    },
    de: {
      subject: 'Ihre Akte „{{journeyTitle}}" ist abgeschlossen',
      body: 'Guten Tag {{recipientName}},\n\nIhre Akte „{{journeyTitle}}" ({{dossierNumber}}) ist abgeschlossen.{{#summary}}\n{{summary}}{{/summary}}\n\nDas Ergebnis finden Sie unter {{link}}',
      sms: 'Ihre Akte „{{journeyTitle}}" ist abgeschlossen. Siehe {{link}}',
    },
    en: {
      subject: 'Your file "{{journeyTitle}}" is complete',
      body: 'Dear {{recipientName}},\n\nYour file "{{journeyTitle}}" ({{dossierNumber}}) is complete.{{#summary}}\n{{summary}}{{/summary}}\n\nSee the result at {{link}}',
      sms: 'Your file "{{journeyTitle}}" is complete. See {{link}}',
    },
  },
  'journey.cancelled': {
    nl: {
      subject: 'Uw dossier "{{journeyTitle}}" is stopgezet',
      body: 'Beste {{recipientName}},\n\nUw dossier "{{journeyTitle}}" ({{dossierNumber}}) is stopgezet.{{#reason}}\nReden: {{reason}}{{/reason}}{{#undone}}\nWat al gedaan was, is ongedaan gemaakt: {{undone}}.{{/undone}}\n\nMeer uitleg op {{link}}',
      sms: 'Uw dossier "{{journeyTitle}}" is stopgezet. Meer op {{link}}',
    },
    fr: {
      subject: 'Votre dossier « {{journeyTitle}} » a été arrêté',
      body: 'Bonjour {{recipientName}},\n\nVotre dossier « {{journeyTitle}} » ({{dossierNumber}}) a été arrêté.{{#reason}}\nRaison : {{reason}}{{/reason}}{{#undone}}\nCe qui avait déjà été fait a été annulé : {{undone}}.{{/undone}}\n\nPlus d’informations sur {{link}}',
      sms: 'Votre dossier « {{journeyTitle}} » a été arrêté. Plus sur {{link}}',
    },
    de: {
      subject: 'Ihre Akte „{{journeyTitle}}" wurde eingestellt',
      body: 'Guten Tag {{recipientName}},\n\nIhre Akte „{{journeyTitle}}" ({{dossierNumber}}) wurde eingestellt.{{#reason}}\nGrund: {{reason}}{{/reason}}{{#undone}}\nWas schon erledigt war, wurde rückgängig gemacht: {{undone}}.{{/undone}}\n\nMehr unter {{link}}',
      sms: 'Ihre Akte „{{journeyTitle}}" wurde eingestellt. Mehr unter {{link}}',
    },
    en: {
      subject: 'Your file "{{journeyTitle}}" was stopped',
      body: 'Dear {{recipientName}},\n\nYour file "{{journeyTitle}}" ({{dossierNumber}}) was stopped.{{#reason}}\nReason: {{reason}}{{/reason}}{{#undone}}\nWhat was already done has been undone: {{undone}}.{{/undone}}\n\nMore at {{link}}',
      sms: 'Your file "{{journeyTitle}}" was stopped. More at {{link}}',
    },
  },
};

/** The default template of a category in a language (the category must exist). */
export function defaultTemplate(category: string, language: Language): NotificationTemplate {
  // The legal clock's and objections' messages are told with built-in texts (legal-clock.ts, objection-messages.ts).
  const texts = DEFAULT_TEMPLATES[category] ?? LEGAL_CLOCK_TEMPLATES[category] ?? OBJECTION_TEMPLATES[category] ?? COMPLETION_AGAIN_TEMPLATES[category] ?? SUPERVISOR_MAIL_TEMPLATES[category] ?? APPEAL_TEMPLATES[category] ?? INFORMATION_DUE_TEMPLATES[category] ?? APPOINTMENT_TEMPLATES[category] ?? PAYMENT_TEMPLATES[category];
  if (!texts) throw new Error(`No default template for category ${category}`);
  return { category, language, ...texts[language] };
}
