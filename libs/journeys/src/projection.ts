import type { DataSource } from 'typeorm';
import { JourneyReadModel } from '@levensloop/persistence';
import type { JourneyProjection } from '@levensloop/contracts/workflow';
import { closedTaskOf, openTaskOf, referralDecisionOf, taskIdOf, type StepKind, type TaskPurpose } from '@levensloop/domain';
import { categoryOf, categoryOfTimelineEvent, dedupKeyOfTimelineEvent, supervisorMailOf, supervisorNoticeOf } from '@levensloop/notifications';
import { currentTraceparent } from '@levensloop/telemetry';

const readModels = new WeakMap<DataSource, JourneyReadModel>();
const readModelOf = (ds: DataSource) => readModels.get(ds) ?? readModels.set(ds, new JourneyReadModel(ds)).get(ds)!;

/**
 * Applies a journey projection to the read model in one statement: the only writer of journeys,
 * their steps and timeline (see JourneyReadModel). The first projection carries the journey's
 * header and creates the row; later ones update it. Returns false when the projection was
 * already applied (or a newer one was).
 */
export async function applyJourneyProjection(ds: DataSource, p: JourneyProjection): Promise<boolean> {
  const { applied, known } = await readModelOf(ds).project([
    p.journeyId,
    p.status,
    // A compensation that keeps failing needs a caseworker too (the journey is compensating).
    p.status === 'needs_attention' || (p.status === 'compensating' && p.steps.some((s) => s.compensation?.status === 'needs_attention')),
    p.nextDueAt ?? null,
    p.completedAt ?? null,
    p.cancelReason ?? null,
    p.seq,
    // The rules (which task a step opens, how its tasks close, what an event tells the citizen)
    // are TypeScript; the statement only writes what they decided.
    JSON.stringify(p.steps.map((s) => ({ ...s, title: p.titles[s.key] ?? { nl: s.key }, task: openTaskOf(p.journeyId, s) ?? null, closed: closedTaskOf(s) }))),
    JSON.stringify(p.events.map((e) => eventInput(p.journeyId, e, p.steps.find((s) => s.key === e.step)?.kind))),
    p.header ? JSON.stringify(p.header) : null,
    p.subject.type,
    p.subject.id,
    // The messages this projection files remember its trace (the activity's span): their sends continue it.
    currentTraceparent() ?? null,
    p.agencies ?? null,
  ]);
  // Only a projection without the header can find no row: the one that carried it did not arrive yet.
  if (!applied && !known) throw new Error(`Journey ${p.journeyId} is not in the read model yet.`);
  return applied > 0;
}

/**
 * A timeline event with the message it files, if any (its category, key and whether it asks the
 * citizen to act), and the decision it makes when it answers a referred decision (recorded on the
 * decision, audited: the journey is the one writer of its decisions).
 */
function eventInput(journeyId: string, e: JourneyProjection['events'][number], stepKind: StepKind | undefined) {
  const referral = referralDecisionOf(e, stepKind);
  const audit = auditOfTimelineEvent(e);
  const supervisors = supervisorNoticeOf(journeyId, e);
  const decided = { ...(referral ? { referral } : {}), ...(audit ? { audit } : {}), ...(supervisors ? { supervisorNotice: supervisors } : {}) };
  const category = categoryOfTimelineEvent(e, stepKind);
  // An escalation is no message to the citizen: it is one to the agency's supervisors (e-mailed by the dispatcher's fan-out).
  const mail = category ? undefined : supervisorMailOf(journeyId, e);
  if (mail) return { ...e, ...decided, category: mail.category, dedupKey: mail.dedupKey, actionNeeded: false };
  if (!category) return { ...e, ...decided, category: null };
  return { ...e, ...decided, category, dedupKey: dedupKeyOfTimelineEvent(journeyId, e), actionNeeded: categoryOf(category)!.actionNeeded };
}

/**
 * The audit row a timeline event needs when no request made it: a journey cancelled in Temporal
 * itself (an operator's `temporal workflow cancel`, the Web UI) has no API call to audit it, so its
 * projection does, once (the event is inserted once). Cancellations through the API are audited by
 * the gateway.
 */
export function auditOfTimelineEvent(e: JourneyProjection['events'][number]): { actor: string; action: string; detail: Record<string, unknown> } | undefined {
  if (e.type !== 'journey.cancelled' || e.detail?.by !== 'temporal') return undefined;
  return { actor: 'temporal', action: 'journey.cancelled', detail: { via: 'temporal', reason: e.detail?.reason ?? null } };
}

/** Task ids are derived from the journey, the step and the purpose, so every writer agrees on them. */
export function taskId(journeyId: string, nodeKey: string, purpose: TaskPurpose = 'task'): string {
  return taskIdOf(journeyId, nodeKey, purpose);
}
