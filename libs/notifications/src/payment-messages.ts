import type { Language, TimelineEvent, Translations } from '@levensloop/domain';
import type { NotificationCategory } from './categories';
import { COMMON_FIELDS, type BuiltInTemplates } from './built-in-messages';

/**
 * What the citizen is told about a payment step (a permit fee): the link to pay, a reminder before
 * it expires, the payment received, a payment that failed or expired (with how to get a new link),
 * and the refund when the journey was stopped after payment. Plain language, the four languages,
 * built-in texts. None is `actionNeeded`: a payment opens no task (the link is in the message and on
 * the journey's page), and such a message would count as no longer open.
 */
const FIELDS = [...COMMON_FIELDS, 'stepTitle', 'agencyName', 'amount', 'purpose', 'paymentLink', 'expiresDate'] as const;
const category = (key: string, titles: Translations): NotificationCategory => ({ key, titles, fields: FIELDS, actionNeeded: false, scope: 'step' });

export const PAYMENT_CATEGORIES: Record<string, NotificationCategory> = {
  'payment.requested': category('payment.requested', { nl: 'U kunt nu betalen', fr: 'Vous pouvez payer maintenant', de: 'Sie können jetzt bezahlen', en: 'You can pay now' }),
  'payment.reminder': category('payment.reminder', { nl: 'Herinnering: uw betaling', fr: 'Rappel : votre paiement', de: 'Erinnerung: Ihre Zahlung', en: 'Reminder: your payment' }),
  'payment.received': category('payment.received', { nl: 'Wij ontvingen uw betaling', fr: 'Nous avons reçu votre paiement', de: 'Wir haben Ihre Zahlung erhalten', en: 'We received your payment' }),
  'payment.failed': category('payment.failed', { nl: 'Uw betaling is mislukt', fr: 'Votre paiement a échoué', de: 'Ihre Zahlung ist fehlgeschlagen', en: 'Your payment failed' }),
  'payment.expired': category('payment.expired', { nl: 'Uw betaallink is verlopen', fr: 'Votre lien de paiement a expiré', de: 'Ihr Zahlungslink ist abgelaufen', en: 'Your payment link has expired' }),
  'payment.refunded': category('payment.refunded', { nl: 'Wij betalen u terug', fr: 'Nous vous remboursons', de: 'Wir erstatten Ihnen den Betrag', en: 'We are paying you back' }),
};

const BY_EVENT: Record<string, string> = {
  'step.payment_requested': 'payment.requested',
  'step.payment_reminder': 'payment.reminder',
  'step.payment_received': 'payment.received',
  'step.payment_failed': 'payment.failed',
  'step.payment_expired': 'payment.expired',
  'step.payment_refunded': 'payment.refunded',
};

/** The message a payment event files (a renewal request tells nothing: the new link's message follows). */
export function paymentCategoryOf(e: Pick<TimelineEvent, 'type'>): string | undefined {
  return BY_EVENT[e.type];
}

const LOCALE: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };

/** The values these templates use besides the common ones: the amount in the reader's format, what for, the link and until when. */
export function paymentValues(categoryKey: string, data: Record<string, unknown> | null, lang: Language, formatDate: (iso: string) => string): Record<string, string> {
  if (!PAYMENT_CATEGORIES[categoryKey]) return {};
  const amount = typeof data?.amount === 'string' ? data.amount : '';
  const currency = typeof data?.currency === 'string' ? data.currency : 'EUR';
  const purpose = data?.purpose && typeof data.purpose === 'object' ? (data.purpose as Partial<Record<Language, string>>) : undefined;
  return {
    amount: amount ? new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency }).format(Number(amount)) : '',
    purpose: purpose?.[lang] ?? purpose?.nl ?? '',
    paymentLink: typeof data?.checkoutUrl === 'string' ? data.checkoutUrl : '',
    expiresDate: typeof data?.expiresAt === 'string' ? formatDate(data.expiresAt) : '',
  };
}

export const PAYMENT_TEMPLATES: BuiltInTemplates = {
  'payment.requested': {
    nl: {
      subject: 'Betaal {{amount}} voor {{stepTitle}}',
      body: 'Beste {{recipientName}},\n\nVoor uw dossier "{{journeyTitle}}" vraagt {{agencyName}} u {{amount}} te betalen.{{#purpose}}\nWaarvoor: {{purpose}}.{{/purpose}}\n\nBetaal via deze link: {{paymentLink}}{{#expiresDate}}\nDe link is geldig tot {{expiresDate}}.{{/expiresDate}}\n\nVolg uw dossier op {{link}}',
      sms: 'Betaal {{amount}} voor "{{journeyTitle}}": {{paymentLink}}',
    },
    fr: {
      subject: 'Payez {{amount}} pour {{stepTitle}}',
      body: 'Bonjour {{recipientName}},\n\nPour votre dossier « {{journeyTitle}} », {{agencyName}} vous demande de payer {{amount}}.{{#purpose}}\nObjet : {{purpose}}.{{/purpose}}\n\nPayez via ce lien : {{paymentLink}}{{#expiresDate}}\nLe lien est valable jusqu’au {{expiresDate}}.{{/expiresDate}}\n\nSuivez votre dossier sur {{link}}',
      sms: 'Payez {{amount}} pour « {{journeyTitle}} » : {{paymentLink}}',
    },
    de: {
      subject: 'Zahlen Sie {{amount}} für {{stepTitle}}',
      body: 'Guten Tag {{recipientName}},\n\nFür Ihre Akte „{{journeyTitle}}" bittet {{agencyName}} Sie, {{amount}} zu zahlen.{{#purpose}}\nWofür: {{purpose}}.{{/purpose}}\n\nZahlen Sie über diesen Link: {{paymentLink}}{{#expiresDate}}\nDer Link ist gültig bis zum {{expiresDate}}.{{/expiresDate}}\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Zahlen Sie {{amount}} für „{{journeyTitle}}": {{paymentLink}}',
    },
    en: {
      subject: 'Pay {{amount}} for {{stepTitle}}',
      body: 'Dear {{recipientName}},\n\nFor your file "{{journeyTitle}}", {{agencyName}} asks you to pay {{amount}}.{{#purpose}}\nWhat for: {{purpose}}.{{/purpose}}\n\nPay with this link: {{paymentLink}}{{#expiresDate}}\nThe link is valid until {{expiresDate}}.{{/expiresDate}}\n\nFollow your file at {{link}}',
      sms: 'Pay {{amount}} for "{{journeyTitle}}": {{paymentLink}}',
    },
  },
  'payment.reminder': {
    nl: {
      subject: 'Herinnering: betaal {{amount}} voor {{stepTitle}}',
      body: 'Beste {{recipientName}},\n\nWe hebben uw betaling van {{amount}} voor uw dossier "{{journeyTitle}}" nog niet ontvangen.{{#expiresDate}} De betaallink is geldig tot {{expiresDate}}.{{/expiresDate}}\n\nBetaal via deze link: {{paymentLink}}\n\nVolg uw dossier op {{link}}',
      sms: 'Herinnering: betaal {{amount}} voor "{{journeyTitle}}"{{#expiresDate}} voor {{expiresDate}}{{/expiresDate}}: {{paymentLink}}',
    },
    fr: {
      subject: 'Rappel : payez {{amount}} pour {{stepTitle}}',
      body: "Bonjour {{recipientName}},\n\nNous n'avons pas encore reçu votre paiement de {{amount}} pour votre dossier « {{journeyTitle}} ».{{#expiresDate}} Le lien de paiement est valable jusqu’au {{expiresDate}}.{{/expiresDate}}\n\nPayez via ce lien : {{paymentLink}}\n\nSuivez votre dossier sur {{link}}",
      sms: 'Rappel : payez {{amount}} pour « {{journeyTitle}} »{{#expiresDate}} avant le {{expiresDate}}{{/expiresDate}} : {{paymentLink}}',
    },
    de: {
      subject: 'Erinnerung: Zahlen Sie {{amount}} für {{stepTitle}}',
      body: 'Guten Tag {{recipientName}},\n\nWir haben Ihre Zahlung von {{amount}} für Ihre Akte „{{journeyTitle}}" noch nicht erhalten.{{#expiresDate}} Der Zahlungslink ist gültig bis zum {{expiresDate}}.{{/expiresDate}}\n\nZahlen Sie über diesen Link: {{paymentLink}}\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Erinnerung: Zahlen Sie {{amount}} für „{{journeyTitle}}"{{#expiresDate}} bis zum {{expiresDate}}{{/expiresDate}}: {{paymentLink}}',
    },
    en: {
      subject: 'Reminder: pay {{amount}} for {{stepTitle}}',
      body: 'Dear {{recipientName}},\n\nWe have not received your payment of {{amount}} for your file "{{journeyTitle}}" yet.{{#expiresDate}} The payment link is valid until {{expiresDate}}.{{/expiresDate}}\n\nPay with this link: {{paymentLink}}\n\nFollow your file at {{link}}',
      sms: 'Reminder: pay {{amount}} for "{{journeyTitle}}"{{#expiresDate}} by {{expiresDate}}{{/expiresDate}}: {{paymentLink}}',
    },
  },
  'payment.received': {
    nl: {
      subject: 'Wij ontvingen uw betaling van {{amount}}',
      body: 'Beste {{recipientName}},\n\nWe ontvingen uw betaling van {{amount}} voor uw dossier "{{journeyTitle}}". Dank u. U hoeft niets meer te doen voor deze stap.\n\nVolg uw dossier op {{link}}',
      sms: 'We ontvingen uw betaling van {{amount}} voor "{{journeyTitle}}". Dank u.',
    },
    fr: {
      subject: 'Nous avons reçu votre paiement de {{amount}}',
      body: 'Bonjour {{recipientName}},\n\nNous avons reçu votre paiement de {{amount}} pour votre dossier « {{journeyTitle}} ». Merci. Vous n’avez plus rien à faire pour cette étape.\n\nSuivez votre dossier sur {{link}}',
      sms: 'Nous avons reçu votre paiement de {{amount}} pour « {{journeyTitle}} ». Merci.',
    },
    de: {
      subject: 'Wir haben Ihre Zahlung von {{amount}} erhalten',
      body: 'Guten Tag {{recipientName}},\n\nWir haben Ihre Zahlung von {{amount}} für Ihre Akte „{{journeyTitle}}" erhalten. Danke. Für diesen Schritt müssen Sie nichts mehr tun.\n\nVerfolgen Sie Ihre Akte unter {{link}}',
      sms: 'Wir haben Ihre Zahlung von {{amount}} für „{{journeyTitle}}" erhalten. Danke.',
    },
    en: {
      subject: 'We received your payment of {{amount}}',
      body: 'Dear {{recipientName}},\n\nWe received your payment of {{amount}} for your file "{{journeyTitle}}". Thank you. You need not do anything more for this step.\n\nFollow your file at {{link}}',
      sms: 'We received your payment of {{amount}} for "{{journeyTitle}}". Thank you.',
    },
  },
  'payment.failed': {
    nl: {
      subject: 'Uw betaling voor {{stepTitle}} is mislukt',
      body: 'Beste {{recipientName}},\n\nUw betaling van {{amount}} voor uw dossier "{{journeyTitle}}" is mislukt. Er is geen geld afgeschreven.\n\nVraag een nieuwe betaallink aan op {{link}}',
      sms: 'Uw betaling voor "{{journeyTitle}}" is mislukt. Vraag een nieuwe link: {{link}}',
    },
    fr: {
      subject: 'Votre paiement pour {{stepTitle}} a échoué',
      body: "Bonjour {{recipientName}},\n\nVotre paiement de {{amount}} pour votre dossier « {{journeyTitle}} » a échoué. Aucun montant n'a été débité.\n\nDemandez un nouveau lien de paiement sur {{link}}",
      sms: 'Votre paiement pour « {{journeyTitle}} » a échoué. Demandez un nouveau lien : {{link}}',
    },
    de: {
      subject: 'Ihre Zahlung für {{stepTitle}} ist fehlgeschlagen',
      body: 'Guten Tag {{recipientName}},\n\nIhre Zahlung von {{amount}} für Ihre Akte „{{journeyTitle}}" ist fehlgeschlagen. Es wurde kein Geld abgebucht.\n\nFordern Sie einen neuen Zahlungslink an unter {{link}}',
      sms: 'Ihre Zahlung für „{{journeyTitle}}" ist fehlgeschlagen. Neuer Link: {{link}}',
    },
    en: {
      subject: 'Your payment for {{stepTitle}} failed',
      body: 'Dear {{recipientName}},\n\nYour payment of {{amount}} for your file "{{journeyTitle}}" failed. No money was taken.\n\nAsk for a new payment link at {{link}}',
      sms: 'Your payment for "{{journeyTitle}}" failed. Ask for a new link: {{link}}',
    },
  },
  'payment.expired': {
    nl: {
      subject: 'Uw betaallink voor {{stepTitle}} is verlopen',
      body: 'Beste {{recipientName}},\n\nDe betaallink voor {{amount}} voor uw dossier "{{journeyTitle}}" is verlopen. We ontvingen geen betaling.\n\nVraag een nieuwe betaallink aan op {{link}}',
      sms: 'Uw betaallink voor "{{journeyTitle}}" is verlopen. Vraag een nieuwe: {{link}}',
    },
    fr: {
      subject: 'Votre lien de paiement pour {{stepTitle}} a expiré',
      body: "Bonjour {{recipientName}},\n\nLe lien de paiement de {{amount}} pour votre dossier « {{journeyTitle}} » a expiré. Nous n'avons reçu aucun paiement.\n\nDemandez un nouveau lien de paiement sur {{link}}",
      sms: 'Votre lien de paiement pour « {{journeyTitle}} » a expiré. Demandez-en un nouveau : {{link}}',
    },
    de: {
      subject: 'Ihr Zahlungslink für {{stepTitle}} ist abgelaufen',
      body: 'Guten Tag {{recipientName}},\n\nDer Zahlungslink über {{amount}} für Ihre Akte „{{journeyTitle}}" ist abgelaufen. Wir haben keine Zahlung erhalten.\n\nFordern Sie einen neuen Zahlungslink an unter {{link}}',
      sms: 'Ihr Zahlungslink für „{{journeyTitle}}" ist abgelaufen. Neuer Link: {{link}}',
    },
    en: {
      subject: 'Your payment link for {{stepTitle}} has expired',
      body: 'Dear {{recipientName}},\n\nThe payment link for {{amount}} for your file "{{journeyTitle}}" has expired. We received no payment.\n\nAsk for a new payment link at {{link}}',
      sms: 'Your payment link for "{{journeyTitle}}" has expired. Ask for a new one: {{link}}',
    },
  },
  'payment.refunded': {
    nl: {
      subject: 'Wij betalen u {{amount}} terug',
      body: 'Beste {{recipientName}},\n\nUw dossier "{{journeyTitle}}" is stopgezet. Daarom betalen we u {{amount}} terug die u betaalde voor {{stepTitle}}. Het geld staat binnen enkele dagen op uw rekening.\n\nMeer informatie op {{link}}',
      sms: 'We betalen u {{amount}} terug voor "{{journeyTitle}}". {{link}}',
    },
    fr: {
      subject: 'Nous vous remboursons {{amount}}',
      body: 'Bonjour {{recipientName}},\n\nVotre dossier « {{journeyTitle}} » a été arrêté. Nous vous remboursons donc les {{amount}} payés pour {{stepTitle}}. L’argent sera sur votre compte dans quelques jours.\n\nPlus d’informations sur {{link}}',
      sms: 'Nous vous remboursons {{amount}} pour « {{journeyTitle}} ». {{link}}',
    },
    de: {
      subject: 'Wir erstatten Ihnen {{amount}}',
      body: 'Guten Tag {{recipientName}},\n\nIhre Akte „{{journeyTitle}}" wurde eingestellt. Deshalb erstatten wir Ihnen die {{amount}}, die Sie für {{stepTitle}} bezahlt haben. Das Geld ist in einigen Tagen auf Ihrem Konto.\n\nMehr Informationen unter {{link}}',
      sms: 'Wir erstatten Ihnen {{amount}} für „{{journeyTitle}}". {{link}}',
    },
    en: {
      subject: 'We are paying you back {{amount}}',
      body: 'Dear {{recipientName}},\n\nYour file "{{journeyTitle}}" was stopped. So we are paying back the {{amount}} you paid for {{stepTitle}}. The money will be in your account within a few days.\n\nMore information at {{link}}',
      sms: 'We are paying you back {{amount}} for "{{journeyTitle}}". {{link}}',
    },
  },
};
