import type { StepKind, TimelineEvent, Translations } from '@levensloop/domain';
import { LEGAL_CLOCK_CATEGORIES, legalClockCategoryOf } from './legal-clock';
import { OBJECTION_CATEGORIES, objectionCategoryOf } from './objection-messages';
import { APPEAL_CATEGORIES, appealCategoryOf } from './appeal-messages';
import { COMPLETION_AGAIN_CATEGORIES, completionCategoryOf } from './completion-again';
import { SUPERVISOR_MAIL_CATEGORIES } from './supervisor-mail';
import { INFORMATION_DUE_CATEGORIES, informationDueCategoryOf } from './information-due';
import { REMEDY_FIELDS } from './remedy';
import { referralCategoryOf } from './referral-decision';
import { APPOINTMENT_CATEGORIES, appointmentCategoryOf } from './appointments/appointment-messages';
import { PAYMENT_CATEGORIES, paymentCategoryOf } from './payment-messages';

/**
 * What journeys tell citizens, as data: each category names the values its templates may use
 * (a template that references anything else is refused when it is registered) and whether it
 * asks the citizen to act (those fall back to a paper letter when not read in time).
 */
export interface NotificationCategory {
  key: string;
  titles: Translations;
  /** The placeholders a template of this category may use, e.g. {{journeyTitle}}. */
  fields: readonly string[];
  actionNeeded: boolean;
  /**
   * `step`: caused by a step, so told in the name of the step's agency (that agency's template
   * applies, else the global one); `journey`: about the journey as a whole (global templates only).
   */
  scope: 'journey' | 'step';
}

const COMMON = ['recipientName', 'subjectName', 'journeyTitle', 'dossierNumber', 'link'] as const;

export const NOTIFICATION_CATEGORIES: Record<string, NotificationCategory> = {
  'journey.started': {
    key: 'journey.started',
    titles: { nl: 'Uw dossier is gestart', fr: 'Votre dossier a démarré', de: 'Ihre Akte wurde eröffnet', en: 'Your file has started' },
    fields: [...COMMON, 'nextSteps'],
    actionNeeded: false,
    scope: 'journey',
  },
  'action.needed': {
    key: 'action.needed',
    titles: { nl: 'Wij hebben iets van u nodig', fr: 'Nous avons besoin de vous', de: 'Wir brauchen etwas von Ihnen', en: 'We need something from you' },
    fields: [...COMMON, 'stepTitle', 'dueDate', 'what'],
    actionNeeded: true,
    scope: 'step',
  },
  'action.reminder': {
    key: 'action.reminder',
    titles: { nl: 'Herinnering', fr: 'Rappel', de: 'Erinnerung', en: 'Reminder' },
    fields: [...COMMON, 'stepTitle', 'dueDate', 'what'],
    actionNeeded: true,
    scope: 'step',
  },
  'decision.made': {
    key: 'decision.made',
    titles: { nl: 'Er is een beslissing', fr: 'Une décision a été prise', de: 'Es gibt eine Entscheidung', en: 'A decision was made' },
    // remedy*: how and until when to object, when the step declares an objection term (remedy.ts).
    fields: [...COMMON, 'stepTitle', 'outcome', 'explanation', ...REMEDY_FIELDS],
    actionNeeded: false,
    scope: 'step',
  },
  'service.delayed': {
    key: 'service.delayed',
    titles: { nl: 'Uw dossier loopt vertraging op', fr: 'Votre dossier prend du retard', de: 'Ihre Akte verzögert sich', en: 'Your file is delayed' },
    fields: [...COMMON, 'stepTitle', 'agencyName', 'newExpectedDate'],
    actionNeeded: false,
    scope: 'step',
  },
  'journey.completed': {
    key: 'journey.completed',
    titles: { nl: 'Uw dossier is afgerond', fr: 'Votre dossier est clôturé', de: 'Ihre Akte ist abgeschlossen', en: 'Your file is complete' },
    fields: [...COMMON, 'summary'],
    actionNeeded: false,
    scope: 'journey',
  },
  'journey.cancelled': {
    key: 'journey.cancelled',
    titles: { nl: 'Uw dossier is stopgezet', fr: 'Votre dossier a été arrêté', de: 'Ihre Akte wurde eingestellt', en: 'Your file was stopped' },
    // undone: what was undone of the steps already done (a journey cancelled after steps completed).
    fields: [...COMMON, 'reason', 'undone'],
    actionNeeded: false,
    scope: 'journey',
  },
};

/**
 * Every category a message can have: those above, whose templates agencies may register, and
 * those told with the built-in texts only: the legal clock's (legal-clock.ts) and objections'
 * (objection-messages.ts) and appeals' (appeal-messages.ts).
 */
export const MESSAGE_CATEGORIES: Record<string, NotificationCategory> = { ...NOTIFICATION_CATEGORIES, ...LEGAL_CLOCK_CATEGORIES, ...OBJECTION_CATEGORIES, ...COMPLETION_AGAIN_CATEGORIES, ...SUPERVISOR_MAIL_CATEGORIES, ...APPEAL_CATEGORIES, ...INFORMATION_DUE_CATEGORIES, ...APPOINTMENT_CATEGORIES, ...PAYMENT_CATEGORIES };

/** A message's category, whichever registry it is in. */
export function categoryOf(key: string): NotificationCategory | undefined {
  return MESSAGE_CATEGORIES[key];
}

export const DELIVERY_STATUSES = ['queued', 'sending', 'delivered', 'temporary_failure', 'permanent_failure', 'expired'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The e-counter's status code list for dossiers (what Mijn Burgerprofiel shows), from the
 * journey's state: the engine maps every journey to exactly one.
 */
export const DOSSIER_STATUS_CODES = ['received', 'in_progress', 'action_needed', 'decided', 'completed', 'stopped'] as const;
export type DossierStatusCode = (typeof DOSSIER_STATUS_CODES)[number];

/**
 * What a timeline event tells the citizen, if anything: the journey's start and end, a task or
 * a consent or data asked of them, a final decision (a referral to a caseworker is not one yet)
 * and an overridden one, and what the step's timers tell: a reminder before a task is due and an
 * apology when an agency's step is late. The projection files one message per such event.
 * `stepKind`, the kind of the event's step: a caseworker's answer to a referred decision is the
 * decision (referral-decision.ts).
 */
export function categoryOfTimelineEvent(e: Pick<TimelineEvent, 'type' | 'detail'>, stepKind?: StepKind): string | undefined {
  switch (e.type) {
    case 'journey.started':
    case 'journey.cancelled':
      return e.type;
    case 'journey.completed':
      // A second completion (after an objection or an override re-opened the journey): completion-again.ts.
      return completionCategoryOf(e);
    case 'step.task_created':
      // An appointment's "choose a time" has its own message (appointments/appointment-messages.ts).
      return e.detail?.assignee === 'citizen' ? (appointmentCategoryOf(e) ?? 'action.needed') : undefined;
    case 'step.consent_requested':
    case 'step.data_requested':
      return 'action.needed';
    case 'step.decided':
      return e.detail?.outcome === 'grant' || e.detail?.outcome === 'deny' ? 'decision.made' : undefined;
    case 'step.decision_overridden':
      return 'decision.made';
    case 'step.completed':
    case 'step.rejected':
      return referralCategoryOf(e, stepKind);
    case 'step.reminder':
      return 'action.reminder';
    case 'step.delayed':
      return 'service.delayed';
    default:
      // Objections' and the legal clock's messages (objection-messages.ts, legal-clock.ts).
      return objectionCategoryOf(e.type) ?? appealCategoryOf(e.type) ?? legalClockCategoryOf(e) ?? informationDueCategoryOf(e) ?? appointmentCategoryOf(e) ?? paymentCategoryOf(e);
  }
}

/**
 * The key that makes a timeline event's message happen once: the event's own (journey and
 * sequence number), but one per task for a reminder and one per step for a delay notice, as the
 * dispatcher's sweep keyed them when it wrote these.
 */
export function dedupKeyOfTimelineEvent(journeyId: string, e: Pick<TimelineEvent, 'seq' | 'type' | 'step' | 'detail'>): string {
  if (e.type === 'step.reminder' && typeof e.detail?.taskId === 'string') return `${e.detail.taskId}/reminder`;
  if (e.type === 'step.delayed' && e.step) return `${journeyId}/${e.step}/delayed`;
  return `${journeyId}/${e.seq}`;
}
