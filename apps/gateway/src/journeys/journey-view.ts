import { compensationsFromTimeline, paymentsFromTimeline } from '@levensloop/domain';
import type { StartedJourney } from '@levensloop/journeys';
import type { JourneyEventRow, JourneyRow, JourneyStepRow } from '@levensloop/persistence';
import { isPastDue } from '../common/due';
import { ProblemException } from '../common/problem';

/** A journey as lists show it. */
export function summaryOf(row: JourneyRow) {
  return {
    id: row.id,
    lifeEvent: { key: row.life_event_key, version: row.life_event_version, title: row.title },
    subject: { type: row.subject_type, id: row.subject_id },
    status: row.status,
    agencies: row.agencies,
    needsAttention: row.needs_attention,
    overdue: isPastDue(row.next_due_at, row.completed_at),
    nextDueAt: row.next_due_at ?? undefined,
    startedAt: row.started_at,
    completedAt: row.completed_at ?? undefined,
    updatedAt: row.updated_at,
  };
}

/** A journey with its steps (in the life event's node order) and timeline. */
export function detailOf(row: JourneyRow, steps: JourneyStepRow[], events: JourneyEventRow[]) {
  // Undoing completed steps (a cancelled journey): as the timeline tells it.
  const undoing = compensationsFromTimeline(events.map((e) => ({ type: e.type, step: e.node_key, detail: e.detail })));
  // Payment steps' payments (status, amount, purpose, the link while open): as the timeline tells it.
  const payments = paymentsFromTimeline(events.map((e) => ({ type: e.type, at: e.at, step: e.node_key, detail: e.detail })));
  return {
    ...summaryOf(row),
    data: row.data,
    cancelReason: row.cancel_reason ?? undefined,
    startedBy: row.started_by,
    steps: steps.map((s) => ({
      key: s.node_key,
      agency: s.agency,
      kind: s.kind,
      status: s.status,
      title: s.title,
      startedAt: s.started_at ?? undefined,
      dueAt: s.due_at ?? undefined,
      completedAt: s.completed_at ?? undefined,
      // A suspended legal clock does not run: the step is not overdue while the citizen is asked.
      overdue: isPastDue(s.due_at, s.completed_at) && !s.legal_clock?.suspendedAt,
      attempts: s.attempts,
      outcome: s.outcome ?? undefined,
      error: s.error ?? undefined,
      warned: s.warned,
      escalated: s.escalated,
      task: s.task_id ? { id: s.task_id, status: s.task_status } : undefined,
      ...legalClockView(s),
      compensation: undoing[s.node_key],
      ...(payments[s.node_key] ? { payment: payments[s.node_key] } : {}),
    })),
    timeline: events.map((e) => ({
      seq: e.seq,
      at: e.at,
      type: e.type,
      step: e.node_key ?? undefined,
      detail: e.detail ?? undefined,
    })),
  };
}

/** The step's legal clock as the API shows it (nothing for a step whose clock never changed). */
function legalClockView(s: JourneyStepRow) {
  const clock = s.legal_clock;
  return {
    ...(clock
      ? {
          clock: {
            suspended: !!clock.suspendedAt,
            ...(clock.suspendedAt ? { suspendedSince: clock.suspendedAt, suspendedFor: clock.suspendedFor } : {}),
            suspendedDays: Math.round(((clock.suspendedMs ?? 0) / 86_400_000) * 10) / 10,
            ...(clock.extension ? { extension: clock.extension } : {}),
          },
        }
      : {}),
    ...(s.information ? { information: s.information } : {}),
  };
}

/**
 * A journey as it starts, from the workflow's input (`journeyAtStart`, the header its first
 * projection writes): the start answer, and the answer to a read before that projection.
 */
export function startedDetailOf({ row, steps }: StartedJourney) {
  return { ...summaryOf(row), data: row.data, startedBy: row.started_by, steps, timeline: [] };
}

export function encodeCursor(startedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ s: new Date(startedAt).toISOString(), i: id })).toString('base64url');
}

export function decodeCursor(cursor: string): { startedAt: string; id: string } {
  try {
    const { s, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof s !== 'string' || Number.isNaN(Date.parse(s)) || typeof i !== 'string' || !/^[0-9a-f-]{36}$/.test(i)) throw new Error();
    return { startedAt: s, id: i };
  } catch {
    throw new ProblemException(400, 'The cursor is not one this API gave out; pass nextCursor from the previous page unchanged.', { slug: 'invalid-cursor' });
  }
}
