import { createHash } from 'node:crypto';
import type { EventResult, MandateRequest, StoredEvent } from '@levensloop/contracts/workflow';
import { isEnterpriseNumber, isNationalNumber, tryEvaluateCondition, valueAt, type Audience, type LifeEventTrigger, type Subject } from '@levensloop/domain';
import { journeyIdFor } from '@levensloop/journeys';

/** One journey per life event per source event: the journey id says so, also when two copies race. */
export const eventJourneyId = (lifeEventKey: string, source: string, eventId: string) => journeyIdFor(`event:${lifeEventKey}:${source}:${eventId}`);

/** The idempotency key of a proactive journey (at most 300 characters, as the column). */
export function eventIdempotencyKey(lifeEventKey: string, source: string, eventId: string): string {
  const key = `event:${source}:${eventId}:${lifeEventKey}`;
  return key.length <= 300 ? key : `event:sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** What one life event's triggers make of an event: a journey to start, or why not. */
export type TriggerChoice =
  | { start: { subject: Subject; data: Record<string, unknown>; mandates?: Omit<MandateRequest, 'journeyId' | 'lifeEvent' | 'event' | 'subject'> } }
  | { skip: string };

/**
 * The first trigger whose condition holds and whose subject is a valid number starts the life
 * event (the others would start the same journey); what it copies into the journey's data and
 * whom it names for a mandate. Pure: the register confirms the mandates afterwards.
 */
export function chooseTrigger(event: StoredEvent, triggers: LifeEventTrigger[], audience: Audience, skipped: EventResult['skipped'], lifeEvent: string): TriggerChoice {
  let chosen: { trigger: LifeEventTrigger; subjectId: string } | undefined;
  const reasons: string[] = [];
  for (const trigger of triggers.filter((t) => t.eventType === event.type)) {
    if (trigger.condition !== undefined) {
      const holds = tryEvaluateCondition(trigger.condition, { event }, ['event']);
      if (holds.error) {
        reasons.push(`its condition could not be evaluated: ${holds.error}`);
        continue;
      }
      if (!holds.value) {
        reasons.push('its condition does not hold for this event');
        continue;
      }
    }
    const subjectId = valueAt(event.data, trigger.subject.path);
    const valid = trigger.subject.type === 'person' ? isNationalNumber(subjectId) : isEnterpriseNumber(subjectId);
    if (!valid) {
      reasons.push(`data.${trigger.subject.path} is not ${trigger.subject.type === 'person' ? 'a national number' : 'an enterprise number'} (${JSON.stringify(subjectId) ?? 'missing'})`);
      continue;
    }
    chosen = { trigger, subjectId: subjectId as string };
    break;
  }
  if (!chosen) return { skip: `not started: ${[...new Set(reasons)].join('; ')}` };
  const { trigger, subjectId } = chosen;
  if (audience === 'business' && trigger.subject.type !== 'enterprise') return { skip: 'the life event is for enterprises, and the trigger names a person' };
  const data: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(trigger.data ?? {})) {
    const value = valueAt(event.data, path);
    if (value !== undefined) data[name] = value;
  }
  const subject: Subject = { type: trigger.subject.type, id: subjectId };
  if (!trigger.mandates) return { start: { subject, data } };
  const listed = valueAt(event.data, trigger.mandates.path);
  const list = Array.isArray(listed) ? listed : listed === undefined ? [] : [listed];
  const holders = [...new Set(list.filter(isNationalNumber))].filter((h) => h !== subjectId);
  if (holders.length < list.length) skipped.push({ lifeEvent, reason: `some of data.${trigger.mandates.path} are not national numbers: no mandate for them` });
  if (!holders.length) return { start: { subject, data } };
  return { start: { subject, data, mandates: { holders, kind: trigger.mandates.kind, access: trigger.mandates.access ?? 'act', lifeEvents: trigger.mandates.lifeEvents ?? null } } };
}
