import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import {
  journeyWorkflowId,
  sourceEventSignal,
  type EventResult,
  type SourceEventActivities,
  type SourceEventInput,
  type SourceEventNotice,
  type SourceEventOutcome,
} from '@levensloop/contracts/workflow';

/**
 * Every step is idempotent and retried until it succeeds: a register or the journey engine that
 * cannot answer yet, an annulment waiting for its registration. The inbox row says why meanwhile.
 * The first retry comes after the answer to the source (at most 4 s), so that answer says why the
 * event waits, and a register that is down is asked once per round, not several times a second.
 */
const act = proxyActivities<SourceEventActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Processes one source event from the inbox (one workflow per event: its id comes from the source
 * and the event id, so a redelivery starts nothing): annuls what a registration started, tells
 * the subject's open journeys that a record changed, starts the journeys its triggers plan (with
 * the mandates the register confirms), and records the outcome in the inbox row.
 */
export async function sourceEventWorkflow(input: SourceEventInput): Promise<SourceEventOutcome> {
  const plan = await act.planSourceEvent(input);
  if (plan.done) return plan.done;
  const { event } = plan;
  const result: EventResult = { started: [], cancelled: [], signalled: [], mandates: [], skipped: [...plan.skipped] };

  if (input.kind === 'annul' && input.annuls && event.subject) {
    const annulled = await act.annulRegistration({ source: event.source, eventId: event.id, subject: event.subject, annuls: input.annuls });
    result.cancelled.push(...annulled.cancelled);
    result.mandates.push(...annulled.mandates);
    result.skipped.push(...annulled.skipped);
  }

  if ((input.kind === 'change' || input.kind === 'correct') && event.subject) {
    const notice: SourceEventNotice = {
      source: event.source,
      eventId: event.id,
      type: event.type,
      kind: input.kind === 'correct' ? 'corrected' : 'changed',
      at: event.time ?? new Date().toISOString(),
    };
    const open = await act.openJourneysOf(event.subject);
    for (const journeyId of open) {
      try {
        // The signal is a command of this workflow: sent once, whatever is retried.
        await getExternalWorkflowHandle(journeyWorkflowId(journeyId)).signal(sourceEventSignal, notice);
        result.signalled.push({ journeyId, outcome: 'signalled' });
      } catch {
        // The journey closed meanwhile: it has nothing left to fetch.
        result.signalled.push({ journeyId, outcome: 'closed' });
      }
    }
    if (!open.length) result.skipped.push({ reason: `no open journey of ${event.subject} to tell` });
  }

  for (const journey of plan.starts) {
    // The mandates first: the journey's first messages go to whoever holds one when they are sent.
    const confirmation = journey.mandates ? await act.confirmMandates(journey.mandates) : undefined;
    for (const m of confirmation ? await act.grantMandates(confirmation) : []) {
      // Two life events started by one event ask for the same mandates: say it once.
      if (!result.mandates.some((r) => r.holderId === m.holderId && r.subjectId === m.subjectId && r.kind === m.kind)) result.mandates.push(m);
    }
    await act.launchEventJourney({ event, journey });
    result.started.push({ journeyId: journey.journeyId, lifeEvent: journey.lifeEvent, subject: journey.subject });
  }

  const anything = result.started.length || result.cancelled.length || result.signalled.length || result.mandates.length;
  if (!anything && !result.skipped.length) result.skipped.push({ reason: `no published life event is started by ${event.type}, and nothing was open for it to change` });
  return act.recordSourceEventOutcome({ source: event.source, eventId: event.id, result });
}
