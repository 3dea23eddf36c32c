import { randomUUID } from 'node:crypto';
import { JOURNEY_REVISION, type JourneyInput } from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot } from '@levensloop/domain';

/**
 * A journey's workflow input as the gateway builds it: this revision, a fixed test subject
 * unless `extra` names another, an idempotency key of its own.
 */
export function journeyInput(snap: LifeEventSnapshot, data: Record<string, unknown> = {}, extra: Partial<JourneyInput> = {}): JourneyInput {
  const journeyId = extra.journeyId ?? randomUUID();
  return {
    journeyId,
    snapshot: snap,
    subject: { type: 'person', id: '85073003328' },
    data,
    startedBy: 'integration-test',
    startedAt: new Date().toISOString(),
    idempotencyKey: `it:${journeyId}`,
    revision: JOURNEY_REVISION,
    ...extra,
  };
}
