import { LANGUAGES, type Language, type Translations } from '@levensloop/domain';
import { categoryOf } from './categories';
import { defaultTemplate } from './default-templates';
import { legalClockValues } from './legal-clock';
import { informationDueValues } from './information-due';
import { appointmentValues } from './appointments/appointment-messages';
import { paymentValues } from './payment-messages';
import { remedyValues, withRemedy } from './remedy';
import { referralExplanation } from './referral-decision';
import { pick } from './dossier-status';
import { renderText, type NotificationTemplate } from './templates';

/**
 * What a message says, shared by whoever renders one: the dispatcher once per delivery, just
 * before its first send (it stores the text on the delivery and every resend uses that), and the
 * API for what has not been rendered yet (a queued delivery) or is asked for in another language.
 * Both read the same rows and the same templates (NotificationContent in libs/persistence).
 */

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
  /** The agency of the step that caused the message (null: about the journey as a whole). */
  agency: string | null;
  /** The names of the agency a decision's remedy goes to, when not the deciding one (see remedy.ts). */
  remedyAgencyNames?: Translations | null;
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
  // An objection's (or an appeal's) message tells the decision after the review, explained by the reviewer.
  const objection = ctx.category.startsWith('objection.') || ctx.category.startsWith('appeal.');
  const outcome = (objection && typeof data.outcome === 'string' ? data.outcome : undefined) ?? ctx.decisionOutcome ?? (typeof data.outcome === 'string' ? data.outcome : undefined);
  const explanation = objection && data.explanation && typeof data.explanation === 'object' ? (data.explanation as Translations) : ctx.explanation;
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
    // A referred decision is explained by the caseworker who decided it, not by the rule that referred it.
    explanation: referralExplanation(ctx.category, ctx.data, lang) ?? pick(explanation ?? undefined, lang),
    agencyName: pick(ctx.agencyNames ?? undefined, lang) || String(data.agency ?? ''),
    newExpectedDate: expected ?? '',
    summary: '',
    reason: ctx.cancelReason ?? (typeof data.reason === 'string' ? data.reason : ''),
    // The steps a cancelled journey undid, by their titles (the journey.cancelled event lists them).
    ...(Array.isArray(data.undoneTitles) && data.undoneTitles.length ? { undone: data.undoneTitles.map((title) => pick(title as Translations, lang)).join(', ') } : {}),
  };
}

export interface RenderedMessage {
  subject: string;
  body: string;
  sms: string;
}

/**
 * What a delivery said, as stored when it was claimed for its first send (migration
 * 1764200000000): undefined while it has not been rendered yet.
 */
export function storedMessage(row: { subject?: string | null; body?: string | null; sms?: string | null }): RenderedMessage | undefined {
  if (row.body === null || row.body === undefined) return undefined;
  return { subject: row.subject ?? '', body: row.body, sms: row.sms ?? '' };
}

/**
 * The notice a template registration sends (pg_notify, in the registering transaction) so that
 * dispatchers drop the templates they hold at once; the payload is `<category>/<language>/<version>`.
 */
export const TEMPLATES_CHANNEL = 'levensloop_templates';

/** A registered template (see TemplatesInForce.for) wins over the default. */
export function renderMessage(registered: NotificationTemplate | undefined, ctx: DeliveryContext, lang: Language, link: string): RenderedMessage {
  const template = registered ? withRemedy(registered, ctx.category) : defaultTemplate(ctx.category, lang);
  const values = {
    ...templateValues(ctx, lang, link),
    ...legalClockValues(ctx.category, ctx.data, (d) => formatDate(d, lang)),
    ...informationDueValues(ctx.category, ctx.data, (d) => formatDate(d, lang)),
    ...appointmentValues(ctx.category, ctx.data, lang),
    ...paymentValues(ctx.category, ctx.data, lang, (d) => formatDate(d, lang)),
    ...remedyValues(ctx.category, ctx.data, lang, link, (d) => formatDate(d, lang), ctx.remedyAgencyNames),
  };
  return { subject: renderText(template.subject, values), body: renderText(template.body, values), sms: renderText(template.sms, values) };
}

/**
 * What a message is rendered from, one row per delivery (NotificationContent.contexts in
 * libs/persistence): the notification, the journey, the step, its agency, the open citizen task,
 * the decision and the names of recipient and subject; `expired` when the message is past its
 * expiry or asks for something no longer open.
 */
export interface DeliveryContextRow {
  delivery_id: string;
  category: string;
  data: Record<string, unknown> | null;
  journey_id: string;
  transaction_id: string;
  action_needed: boolean;
  created_at: Date;
  expires_at: Date | null;
  journey_title: Translations;
  cancel_reason: string | null;
  step_title: Translations | null;
  agency_names: Translations | null;
  task_due_at: Date | null;
  explanation: Translations | null;
  decision_outcome: string | null;
  recipient_name: string | null;
  subject_name: string | null;
  agency: string | null;
  expired: boolean;
  /** The W3C traceparent of the projection that wrote the message (none before tracing, or with it off). */
  trace_context?: string | null;
  /** The names of the agency a decision's remedy goes to (the event's `remedy.agency`), if any. */
  remedy_agency_names?: Translations | null;
}

/** The columns of a context row a message is rendered from. */
type RenderedFrom = Pick<
  DeliveryContextRow,
  'category' | 'data' | 'journey_id' | 'journey_title' | 'step_title' | 'agency_names' | 'task_due_at' | 'cancel_reason' | 'explanation' | 'decision_outcome' | 'recipient_name' | 'subject_name'
> & { agency?: string | null; remedy_agency_names?: Translations | null };

/** A context row as the context a template is rendered with. */
export function toDeliveryContext(row: RenderedFrom): DeliveryContext {
  return {
    category: row.category,
    data: row.data ?? null,
    journeyId: row.journey_id,
    journeyTitle: row.journey_title,
    stepTitle: row.step_title ?? null,
    agencyNames: row.agency_names ?? null,
    taskDueAt: row.task_due_at ?? null,
    cancelReason: row.cancel_reason ?? null,
    explanation: row.explanation ?? null,
    decisionOutcome: row.decision_outcome ?? null,
    recipientName: row.recipient_name ?? null,
    subjectName: row.subject_name ?? null,
    agency: row.agency ?? null,
    ...(row.remedy_agency_names ? { remedyAgencyNames: row.remedy_agency_names } : {}),
  };
}

/** A registered template with its version and scope: an agency's (`agency` set) or global (null). */
export interface ScopedTemplate extends NotificationTemplate {
  version: number;
  agency: string | null;
}

/**
 * The agency whose templates a message uses: the agency of the step that caused it; none for a
 * category about the journey as a whole (those are told in no agency's name).
 */
export function templateAgency(category: string, agency: string | null | undefined): string | null {
  return categoryOf(category)?.scope === 'step' && agency ? agency : null;
}

/**
 * The templates in force (NotificationContent.templatesInForce), as every renderer picks one: the
 * agency's own for a message its step caused, else the global one, else (undefined) the default.
 */
export class TemplatesInForce {
  private readonly byKey = new Map<string, ScopedTemplate>();

  constructor(rows: ScopedTemplate[]) {
    for (const r of rows) this.byKey.set(TemplatesInForce.key(r.agency, r.category, r.language), r);
  }

  private static key(agency: string | null, category: string, language: string) {
    return `${agency ?? ''}|${category}/${language}`;
  }

  for(category: string, language: Language, agency: string | null | undefined): ScopedTemplate | undefined {
    const scope = templateAgency(category, agency);
    return (scope ? this.byKey.get(TemplatesInForce.key(scope, category, language)) : undefined) ?? this.byKey.get(TemplatesInForce.key(null, category, language));
  }
}

/** A stored language, or Dutch when it is not one the engine speaks. */
export const asLanguage = (value: unknown): Language => ((LANGUAGES as readonly string[]).includes(value as string) ? (value as Language) : 'nl');
