import type { Language, TimelineEvent, Translations } from '@levensloop/domain';
import type { NotificationCategory } from '../categories';
import { COMMON_FIELDS, type BuiltInTemplates } from '../built-in-messages';
import { pick } from '../dossier-status';

/**
 * What the citizen is told about an appointment step (libs/domain appointments.ts): choose a time,
 * booked, moved, cancelled, the reminder before it, and a no-show (book again, or the step ends).
 * Built-in texts in the four languages; the time in Brussels time; e-mails carry an .ics (./ics.ts),
 * the other channels the time and place in their text.
 */

const TIME_FIELDS = ['stepTitle', 'agencyName', 'appointmentDate', 'appointmentTime', 'place'] as const;

export const APPOINTMENT_CATEGORIES: Record<string, NotificationCategory> = {
  'appointment.choose': {
    key: 'appointment.choose',
    titles: { nl: 'Kies een moment voor uw afspraak', fr: 'Choisissez un moment pour votre rendez-vous', de: 'Wählen Sie einen Termin', en: 'Choose a time for your appointment' },
    fields: [...COMMON_FIELDS, 'stepTitle', 'agencyName', 'place', 'dueDate'],
    actionNeeded: true,
    scope: 'step',
  },
  'appointment.booked': {
    key: 'appointment.booked',
    titles: { nl: 'Uw afspraak staat vast', fr: 'Votre rendez-vous est fixé', de: 'Ihr Termin steht fest', en: 'Your appointment is booked' },
    fields: [...COMMON_FIELDS, ...TIME_FIELDS],
    actionNeeded: false,
    scope: 'step',
  },
  'appointment.moved': {
    key: 'appointment.moved',
    titles: { nl: 'Uw afspraak is verplaatst', fr: 'Votre rendez-vous a été déplacé', de: 'Ihr Termin wurde verschoben', en: 'Your appointment was moved' },
    fields: [...COMMON_FIELDS, ...TIME_FIELDS, 'previousDate'],
    actionNeeded: false,
    scope: 'step',
  },
  'appointment.cancelled': {
    key: 'appointment.cancelled',
    titles: { nl: 'Uw afspraak is geannuleerd', fr: 'Votre rendez-vous a été annulé', de: 'Ihr Termin wurde abgesagt', en: 'Your appointment was cancelled' },
    // journeyCancelled: the whole file was stopped, so no new appointment is needed.
    fields: [...COMMON_FIELDS, ...TIME_FIELDS, 'journeyCancelled'],
    actionNeeded: false,
    scope: 'step',
  },
  'appointment.reminder': {
    key: 'appointment.reminder',
    titles: { nl: 'Herinnering: uw afspraak', fr: 'Rappel : votre rendez-vous', de: 'Erinnerung: Ihr Termin', en: 'Reminder: your appointment' },
    fields: [...COMMON_FIELDS, ...TIME_FIELDS],
    actionNeeded: false,
    scope: 'step',
  },
  'appointment.no_show': {
    key: 'appointment.no_show',
    titles: { nl: 'U was niet op uw afspraak', fr: "Vous n'êtes pas venu à votre rendez-vous", de: 'Sie waren nicht bei Ihrem Termin', en: 'You missed your appointment' },
    fields: [...COMMON_FIELDS, ...TIME_FIELDS, 'bookAgain'],
    actionNeeded: false,
    scope: 'step',
  },
};

/** The message an appointment step's event files (the citizen's "choose a time" task included). */
export function appointmentCategoryOf(e: Pick<TimelineEvent, 'type' | 'detail'>): string | undefined {
  switch (e.type) {
    case 'step.task_created':
      return e.detail?.purpose === 'appointment' ? 'appointment.choose' : undefined;
    case 'step.appointment_booked':
      return 'appointment.booked';
    case 'step.appointment_moved':
      return 'appointment.moved';
    case 'step.appointment_cancelled':
      return 'appointment.cancelled';
    case 'step.appointment_reminder':
      return 'appointment.reminder';
    case 'step.appointment_no_show':
      return 'appointment.no_show';
    default:
      return undefined;
  }
}

const LOCALE: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };
const ZONE = 'Europe/Brussels';

/** The day of an appointment as the citizen reads it, in Brussels time: "maandag 2 maart 2026". */
export const appointmentDate = (iso: string, lang: Language) => new Date(iso).toLocaleDateString(LOCALE[lang], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: ZONE });
const clock = (iso: string, lang: Language) => new Date(iso).toLocaleTimeString(LOCALE[lang], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: ZONE });
/** "09:00–09:30", in Brussels time. */
export const appointmentTime = (start: string, end: string, lang: Language) => `${clock(start, lang)}–${clock(end, lang)}`;

/** The values these templates use besides the common ones (nothing for other categories). */
export function appointmentValues(category: string, data: Record<string, unknown> | null, lang: Language): Record<string, unknown> {
  if (!APPOINTMENT_CATEGORIES[category]) return {};
  const d = data ?? {};
  const start = typeof d.start === 'string' ? d.start : undefined;
  const end = typeof d.end === 'string' ? d.end : undefined;
  return {
    appointmentDate: start ? appointmentDate(start, lang) : '',
    appointmentTime: start && end ? appointmentTime(start, end, lang) : '',
    place: d.place && typeof d.place === 'object' ? pick(d.place as Translations, lang) : '',
    previousDate: typeof d.previousStart === 'string' ? `${appointmentDate(d.previousStart, lang)} ${clock(d.previousStart, lang)}` : '',
    bookAgain: d.next === 'book-again',
    journeyCancelled: d.journeyCancelled === true,
  };
}

export const APPOINTMENT_TEMPLATES: BuiltInTemplates = {
  'appointment.choose': {
    nl: {
      subject: 'Kies een moment voor uw afspraak: {{stepTitle}}',
      body: 'Beste {{recipientName}},\n\nVoor uw dossier "{{journeyTitle}}" hebt u een afspraak met {{agencyName}}{{#place}} ({{place}}){{/place}}. Kies zelf een moment dat u past.{{#dueDate}} Kies voor {{dueDate}}.{{/dueDate}}\n\nKies een moment op {{link}}',
      sms: 'Kies een moment voor uw afspraak met {{agencyName}} ("{{journeyTitle}}"): {{link}}',
    },
    fr: {
      subject: 'Choisissez un moment pour votre rendez-vous : {{stepTitle}}',
      body: 'Bonjour {{recipientName}},\n\nPour votre dossier « {{journeyTitle}} », vous avez un rendez-vous avec {{agencyName}}{{#place}} ({{place}}){{/place}}. Choisissez vous-même le moment qui vous convient.{{#dueDate}} Choisissez avant le {{dueDate}}.{{/dueDate}}\n\nChoisissez un moment sur {{link}}',
      sms: 'Choisissez un moment pour votre rendez-vous avec {{agencyName}} (« {{journeyTitle}} ») : {{link}}',
    },
    de: {
      subject: 'Wählen Sie einen Termin: {{stepTitle}}',
      body: 'Guten Tag {{recipientName}},\n\nFür Ihre Akte „{{journeyTitle}}" haben Sie einen Termin bei {{agencyName}}{{#place}} ({{place}}){{/place}}. Wählen Sie selbst einen passenden Zeitpunkt.{{#dueDate}} Bitte wählen Sie bis zum {{dueDate}}.{{/dueDate}}\n\nWählen Sie einen Termin unter {{link}}',
      sms: 'Wählen Sie einen Termin bei {{agencyName}} („{{journeyTitle}}"): {{link}}',
    },
    en: {
      subject: 'Choose a time for your appointment: {{stepTitle}}',
      body: 'Dear {{recipientName}},\n\nFor your file "{{journeyTitle}}" you have an appointment with {{agencyName}}{{#place}} ({{place}}){{/place}}. Choose a time that suits you.{{#dueDate}} Please choose before {{dueDate}}.{{/dueDate}}\n\nChoose a time at {{link}}',
      sms: 'Choose a time for your appointment with {{agencyName}} ("{{journeyTitle}}"): {{link}}',
    },
  },
  'appointment.booked': {
    nl: {
      subject: 'Uw afspraak staat vast: {{appointmentDate}} om {{appointmentTime}}',
      body: 'Beste {{recipientName}},\n\nUw afspraak met {{agencyName}} voor "{{journeyTitle}}" staat vast:\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nU krijgt een herinnering vooraf. Verplaatsen of annuleren kan op {{link}}',
      sms: 'Afspraak {{agencyName}}: {{appointmentDate}} {{appointmentTime}}, {{place}}. Verplaatsen: {{link}}',
    },
    fr: {
      subject: 'Votre rendez-vous est fixé : {{appointmentDate}} à {{appointmentTime}}',
      body: 'Bonjour {{recipientName}},\n\nVotre rendez-vous avec {{agencyName}} pour « {{journeyTitle}} » est fixé :\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nVous recevrez un rappel avant. Pour le déplacer ou l\'annuler : {{link}}',
      sms: 'Rendez-vous {{agencyName}} : {{appointmentDate}} {{appointmentTime}}, {{place}}. Déplacer : {{link}}',
    },
    de: {
      subject: 'Ihr Termin steht fest: {{appointmentDate}} um {{appointmentTime}}',
      body: 'Guten Tag {{recipientName}},\n\nIhr Termin bei {{agencyName}} für „{{journeyTitle}}" steht fest:\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nSie erhalten vorher eine Erinnerung. Verschieben oder absagen unter {{link}}',
      sms: 'Termin {{agencyName}}: {{appointmentDate}} {{appointmentTime}}, {{place}}. Verschieben: {{link}}',
    },
    en: {
      subject: 'Your appointment is booked: {{appointmentDate}} at {{appointmentTime}}',
      body: 'Dear {{recipientName}},\n\nYour appointment with {{agencyName}} for "{{journeyTitle}}" is booked:\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nWe will remind you beforehand. To move or cancel it: {{link}}',
      sms: 'Appointment {{agencyName}}: {{appointmentDate}} {{appointmentTime}}, {{place}}. To move it: {{link}}',
    },
  },
  'appointment.moved': {
    nl: {
      subject: 'Uw afspraak is verplaatst naar {{appointmentDate}} om {{appointmentTime}}',
      body: 'Beste {{recipientName}},\n\nUw afspraak met {{agencyName}} voor "{{journeyTitle}}" is verplaatst{{#previousDate}} (was: {{previousDate}}){{/previousDate}}. Nieuw moment:\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nBekijk uw afspraak op {{link}}',
      sms: 'Afspraak {{agencyName}} verplaatst: {{appointmentDate}} {{appointmentTime}}, {{place}}. {{link}}',
    },
    fr: {
      subject: 'Votre rendez-vous est déplacé au {{appointmentDate}} à {{appointmentTime}}',
      body: 'Bonjour {{recipientName}},\n\nVotre rendez-vous avec {{agencyName}} pour « {{journeyTitle}} » a été déplacé{{#previousDate}} (avant : {{previousDate}}){{/previousDate}}. Nouveau moment :\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nVoir votre rendez-vous : {{link}}',
      sms: 'Rendez-vous {{agencyName}} déplacé : {{appointmentDate}} {{appointmentTime}}, {{place}}. {{link}}',
    },
    de: {
      subject: 'Ihr Termin wurde verschoben auf {{appointmentDate}} um {{appointmentTime}}',
      body: 'Guten Tag {{recipientName}},\n\nIhr Termin bei {{agencyName}} für „{{journeyTitle}}" wurde verschoben{{#previousDate}} (vorher: {{previousDate}}){{/previousDate}}. Neuer Termin:\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nIhr Termin unter {{link}}',
      sms: 'Termin {{agencyName}} verschoben: {{appointmentDate}} {{appointmentTime}}, {{place}}. {{link}}',
    },
    en: {
      subject: 'Your appointment was moved to {{appointmentDate}} at {{appointmentTime}}',
      body: 'Dear {{recipientName}},\n\nYour appointment with {{agencyName}} for "{{journeyTitle}}" was moved{{#previousDate}} (was: {{previousDate}}){{/previousDate}}. New time:\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nSee your appointment at {{link}}',
      sms: 'Appointment {{agencyName}} moved: {{appointmentDate}} {{appointmentTime}}, {{place}}. {{link}}',
    },
  },
  'appointment.cancelled': {
    nl: {
      subject: 'Uw afspraak van {{appointmentDate}} is geannuleerd',
      body: 'Beste {{recipientName}},\n\nUw afspraak met {{agencyName}} voor "{{journeyTitle}}" op {{appointmentDate}}, {{appointmentTime}} is geannuleerd.\n\n{{#journeyCancelled}}Uw dossier is stopgezet: u hoeft niet te komen. Meer op {{link}}{{/journeyCancelled}}{{^journeyCancelled}}U hebt nog een afspraak nodig. Kies een nieuw moment op {{link}}{{/journeyCancelled}}',
      sms: 'Afspraak {{agencyName}} van {{appointmentDate}} geannuleerd.{{^journeyCancelled}} Kies een nieuw moment:{{/journeyCancelled}} {{link}}',
    },
    fr: {
      subject: 'Votre rendez-vous du {{appointmentDate}} est annulé',
      body: 'Bonjour {{recipientName}},\n\nVotre rendez-vous avec {{agencyName}} pour « {{journeyTitle}} » le {{appointmentDate}}, {{appointmentTime}} est annulé.\n\n{{#journeyCancelled}}Votre dossier a été arrêté : vous ne devez pas venir. Plus d\'infos sur {{link}}{{/journeyCancelled}}{{^journeyCancelled}}Vous avez encore besoin d\'un rendez-vous. Choisissez un nouveau moment sur {{link}}{{/journeyCancelled}}',
      sms: 'Rendez-vous {{agencyName}} du {{appointmentDate}} annulé.{{^journeyCancelled}} Choisissez un nouveau moment :{{/journeyCancelled}} {{link}}',
    },
    de: {
      subject: 'Ihr Termin am {{appointmentDate}} wurde abgesagt',
      body: 'Guten Tag {{recipientName}},\n\nIhr Termin bei {{agencyName}} für „{{journeyTitle}}" am {{appointmentDate}}, {{appointmentTime}} wurde abgesagt.\n\n{{#journeyCancelled}}Ihre Akte wurde eingestellt: Sie müssen nicht kommen. Mehr unter {{link}}{{/journeyCancelled}}{{^journeyCancelled}}Sie brauchen noch einen Termin. Wählen Sie einen neuen unter {{link}}{{/journeyCancelled}}',
      sms: 'Termin {{agencyName}} am {{appointmentDate}} abgesagt.{{^journeyCancelled}} Neuen Termin wählen:{{/journeyCancelled}} {{link}}',
    },
    en: {
      subject: 'Your appointment on {{appointmentDate}} is cancelled',
      body: 'Dear {{recipientName}},\n\nYour appointment with {{agencyName}} for "{{journeyTitle}}" on {{appointmentDate}}, {{appointmentTime}} is cancelled.\n\n{{#journeyCancelled}}Your file was stopped: you need not come. More at {{link}}{{/journeyCancelled}}{{^journeyCancelled}}You still need an appointment. Choose a new time at {{link}}{{/journeyCancelled}}',
      sms: 'Appointment {{agencyName}} on {{appointmentDate}} cancelled.{{^journeyCancelled}} Choose a new time:{{/journeyCancelled}} {{link}}',
    },
  },
  'appointment.reminder': {
    nl: {
      subject: 'Herinnering: uw afspraak op {{appointmentDate}} om {{appointmentTime}}',
      body: 'Beste {{recipientName}},\n\nWij herinneren u aan uw afspraak met {{agencyName}} voor "{{journeyTitle}}":\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nKunt u niet? Verplaats of annuleer op {{link}}',
      sms: 'Herinnering: afspraak {{agencyName}} {{appointmentDate}} {{appointmentTime}}, {{place}}. Verplaatsen: {{link}}',
    },
    fr: {
      subject: 'Rappel : votre rendez-vous le {{appointmentDate}} à {{appointmentTime}}',
      body: 'Bonjour {{recipientName}},\n\nNous vous rappelons votre rendez-vous avec {{agencyName}} pour « {{journeyTitle}} » :\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nVous ne pouvez pas venir ? Déplacez ou annulez sur {{link}}',
      sms: 'Rappel : rendez-vous {{agencyName}} {{appointmentDate}} {{appointmentTime}}, {{place}}. Déplacer : {{link}}',
    },
    de: {
      subject: 'Erinnerung: Ihr Termin am {{appointmentDate}} um {{appointmentTime}}',
      body: 'Guten Tag {{recipientName}},\n\nWir erinnern Sie an Ihren Termin bei {{agencyName}} für „{{journeyTitle}}":\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nSie können nicht? Verschieben oder absagen unter {{link}}',
      sms: 'Erinnerung: Termin {{agencyName}} {{appointmentDate}} {{appointmentTime}}, {{place}}. Verschieben: {{link}}',
    },
    en: {
      subject: 'Reminder: your appointment on {{appointmentDate}} at {{appointmentTime}}',
      body: 'Dear {{recipientName}},\n\nA reminder of your appointment with {{agencyName}} for "{{journeyTitle}}":\n{{appointmentDate}}, {{appointmentTime}}\n{{place}}\n\nCannot make it? Move or cancel it at {{link}}',
      sms: 'Reminder: appointment {{agencyName}} {{appointmentDate}} {{appointmentTime}}, {{place}}. To move it: {{link}}',
    },
  },
  'appointment.no_show': {
    nl: {
      subject: 'U was niet op uw afspraak van {{appointmentDate}}',
      body: 'Beste {{recipientName}},\n\nU was niet op uw afspraak met {{agencyName}} voor "{{journeyTitle}}" op {{appointmentDate}}, {{appointmentTime}}.\n{{#bookAgain}}U kunt één keer een nieuwe afspraak maken. Kies een nieuw moment op {{link}}{{/bookAgain}}{{^bookAgain}}U was al eerder niet op uw afspraak. Deze stap is daarom afgesloten zonder afspraak. Bekijk uw dossier op {{link}}{{/bookAgain}}',
      sms: 'U was niet op uw afspraak met {{agencyName}} van {{appointmentDate}}.{{#bookAgain}} Kies een nieuw moment: {{link}}{{/bookAgain}}{{^bookAgain}} {{link}}{{/bookAgain}}',
    },
    fr: {
      subject: "Vous n'êtes pas venu à votre rendez-vous du {{appointmentDate}}",
      body: "Bonjour {{recipientName}},\n\nVous n'êtes pas venu à votre rendez-vous avec {{agencyName}} pour « {{journeyTitle}} » le {{appointmentDate}}, {{appointmentTime}}.\n{{#bookAgain}}Vous pouvez prendre un nouveau rendez-vous une fois. Choisissez un nouveau moment sur {{link}}{{/bookAgain}}{{^bookAgain}}Vous aviez déjà manqué un rendez-vous. Cette étape est donc clôturée sans rendez-vous. Voir votre dossier sur {{link}}{{/bookAgain}}",
      sms: "Vous n'êtes pas venu à votre rendez-vous {{agencyName}} du {{appointmentDate}}.{{#bookAgain}} Nouveau moment : {{link}}{{/bookAgain}}{{^bookAgain}} {{link}}{{/bookAgain}}",
    },
    de: {
      subject: 'Sie waren nicht bei Ihrem Termin am {{appointmentDate}}',
      body: 'Guten Tag {{recipientName}},\n\nSie waren nicht bei Ihrem Termin bei {{agencyName}} für „{{journeyTitle}}" am {{appointmentDate}}, {{appointmentTime}}.\n{{#bookAgain}}Sie können einmal einen neuen Termin vereinbaren. Wählen Sie ihn unter {{link}}{{/bookAgain}}{{^bookAgain}}Sie hatten schon einmal einen Termin verpasst. Dieser Schritt ist deshalb ohne Termin abgeschlossen. Ihre Akte unter {{link}}{{/bookAgain}}',
      sms: 'Sie waren nicht bei Ihrem Termin bei {{agencyName}} am {{appointmentDate}}.{{#bookAgain}} Neuer Termin: {{link}}{{/bookAgain}}{{^bookAgain}} {{link}}{{/bookAgain}}',
    },
    en: {
      subject: 'You missed your appointment on {{appointmentDate}}',
      body: 'Dear {{recipientName}},\n\nYou did not come to your appointment with {{agencyName}} for "{{journeyTitle}}" on {{appointmentDate}}, {{appointmentTime}}.\n{{#bookAgain}}You can book a new appointment once. Choose a new time at {{link}}{{/bookAgain}}{{^bookAgain}}You had missed an appointment before. This step is therefore closed without an appointment. See your file at {{link}}{{/bookAgain}}',
      sms: 'You missed your appointment with {{agencyName}} on {{appointmentDate}}.{{#bookAgain}} Choose a new time: {{link}}{{/bookAgain}}{{^bookAgain}} {{link}}{{/bookAgain}}',
    },
  },
};
