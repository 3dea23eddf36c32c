/**
 * The due date of a caseworker's request for information (issue 15, part 1): the citizen is
 * reminded before it, and at it the request lapses: the step's clock runs again and the
 * caseworker goes on without the answer. Pure: the workflow's timers ask these rules.
 */
import type { InformationRequest, StepState } from './model';

/** The timeline events of a request's due date (told to the citizen; the lapse also flags the caseworker's task). */
export const INFORMATION_DUE_TIMELINE_TYPES = ['step.information_reminder', 'step.information_lapsed'] as const;
export type InformationDueTimelineType = (typeof INFORMATION_DUE_TIMELINE_TYPES)[number];

const DAY = 24 * 60 * 60 * 1000;
/** How long before the due date the citizen is reminded, when the term is long enough for it. */
export const INFORMATION_REMINDER_BEFORE_MS = 3 * DAY;

/**
 * When the citizen is reminded: 3 days before the due date, or half-way for a term shorter than
 * twice that (a 4-day request is reminded after 2 days). Undefined when the term is too short to
 * remind (under a minute) or the dates do not parse.
 */
export function informationReminderAt(request: Pick<InformationRequest, 'askedAt' | 'dueAt'>): string | undefined {
  const asked = Date.parse(request.askedAt);
  const due = Date.parse(request.dueAt);
  if (Number.isNaN(asked) || Number.isNaN(due) || due - asked < 60_000) return undefined;
  const before = due - asked >= 2 * INFORMATION_REMINDER_BEFORE_MS ? INFORMATION_REMINDER_BEFORE_MS : (due - asked) / 2;
  return new Date(due - before).toISOString();
}

/** The request asked at `askedAt` is still open: the step waits for its answer, not answered, not lapsed. */
export function informationOpen(step: Pick<StepState, 'status' | 'waitingFor' | 'information'>, askedAt: string): boolean {
  const info = step.information;
  return step.status === 'waiting' && step.waitingFor === 'information' && info?.askedAt === askedAt && !info.answeredAt && !info.lapsedAt;
}

/** What the caseworker's own task row shows once a request lapsed: no answer to the question by its date. */
export interface InformationLapsedFlag {
  noAnswer: { question: string; dueAt: string; lapsedAt: string };
}

export function informationLapsedFlag(info: InformationRequest | undefined): InformationLapsedFlag | undefined {
  if (!info?.lapsedAt) return undefined;
  return { noAnswer: { question: info.question, dueAt: info.dueAt, lapsedAt: info.lapsedAt } };
}
