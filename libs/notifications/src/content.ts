import type { Language, Translations } from '@levensloop/domain';
import { defaultTemplate, pick, renderText, type NotificationTemplate } from '@levensloop/notifications';

/** Everything a message can say, from the notification and the read model (one row per delivery). */
export interface DeliveryContext {
  category: string;
  data: Record<string, unknown> | null;
  journeyId: string;
  journeyTitle: Translations;
  stepTitle: Translations | null;
  agencyNames: Translations | null;
  taskDueAt: Date | null;
  cancelReason: string | null;
  explanation: Translations | null;
  decisionOutcome: string | null;
  recipientName: string | null;
  subjectName: string | null;
}

const DATE_LOCALE: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };
const OUTCOME: Record<string, Translations> = {
  grant: { nl: 'toegekend', fr: 'accordé', de: 'gewährt', en: 'granted' },
  deny: { nl: 'geweigerd', fr: 'refusé', de: 'abgelehnt', en: 'refused' },
  refer: { nl: 'doorverwezen naar een medewerker', fr: 'transmis à un agent', de: 'an einen Sachbearbeiter weitergeleitet', en: 'referred to a caseworker' },
};
const GENERIC_NAME: Record<Language, string> = { nl: 'burger', fr: 'Madame, Monsieur', de: 'Bürgerin, Bürger', en: 'citizen' };

export const formatDate = (d: Date | string, lang: Language) =>
  new Date(d).toLocaleDateString(DATE_LOCALE[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Brussels' });

export function journeyLink(citizenWebUrl: string, journeyId: string) {
  return `${citizenWebUrl}/journeys/${journeyId}`;
}

/** The values a category's templates may use (see NOTIFICATION_CATEGORIES[…].fields). */
export function templateValues(ctx: DeliveryContext, lang: Language, link: string): Record<string, unknown> {
  const data = ctx.data ?? {};
  const outcome = ctx.decisionOutcome ?? (typeof data.outcome === 'string' ? data.outcome : undefined);
  const expected = typeof data.newExpectedDate === 'string' ? formatDate(data.newExpectedDate, lang) : undefined;
  const due = ctx.taskDueAt ?? (typeof data.dueAt === 'string' ? new Date(data.dueAt) : null);
  return {
    recipientName: ctx.recipientName ?? GENERIC_NAME[lang],
    subjectName: ctx.subjectName ?? '',
    journeyTitle: pick(ctx.journeyTitle, lang),
    dossierNumber: ctx.journeyId,
    link,
    nextSteps: '',
    stepTitle: pick(ctx.stepTitle ?? undefined, lang),
    dueDate: due ? formatDate(due, lang) : '',
    what: '',
    outcome: outcome ? pick(OUTCOME[outcome] ?? { nl: outcome }, lang) : '',
    explanation: pick(ctx.explanation ?? undefined, lang),
    agencyName: pick(ctx.agencyNames ?? undefined, lang) || String(data.agency ?? ''),
    newExpectedDate: expected ?? '',
    summary: '',
    reason: ctx.cancelReason ?? (typeof data.reason === 'string' ? data.reason : ''),
  };
}

export interface RenderedMessage {
  subject: string;
  body: string;
  sms: string;
}

/** A registered template (the latest version) wins over the default. */
export function renderMessage(registered: NotificationTemplate | undefined, ctx: DeliveryContext, lang: Language, link: string): RenderedMessage {
  const template = registered ?? defaultTemplate(ctx.category, lang);
  const values = templateValues(ctx, lang, link);
  return { subject: renderText(template.subject, values), body: renderText(template.body, values), sms: renderText(template.sms, values) };
}
