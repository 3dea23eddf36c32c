import { randomUUID } from 'node:crypto';
import { JOURNEY_REVISION, type JourneyInput } from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot } from '@levensloop/domain';
import { subjectSearchKey } from '@levensloop/temporal';
import { testTemporalConfig } from './temporal';

/**
 * A journey's workflow input as the gateway builds it: this revision, a fixed test subject
 * unless `extra` names another (and its keyed hash for the search attribute), an idempotency key of its own.
 */
export function journeyInput(snap: LifeEventSnapshot, data: Record<string, unknown> = {}, extra: Partial<JourneyInput> = {}): JourneyInput {
  const journeyId = extra.journeyId ?? randomUUID();
  const subject = extra.subject ?? { type: 'person', id: '85073003328' };
  return {
    journeyId,
    snapshot: snap,
    subject,
    subjectSearchKey: subjectSearchKey(subject, testTemporalConfig().subjectHashKey),
    data,
    startedBy: 'integration-test',
    startedAt: new Date().toISOString(),
    idempotencyKey: `it:${journeyId}`,
    revision: JOURNEY_REVISION,
    ...extra,
  };
}
