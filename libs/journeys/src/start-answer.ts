import { journeyHeader, type JourneyInput } from '@levensloop/contracts/workflow';
import type { JourneyRow } from '@levensloop/persistence';

/** A step as a journey that just started shows it: pending, nothing attempted. */
export interface StartedStep {
  key: string;
  agency: string;
  kind: string;
  status: 'pending';
  title: Record<string, string>;
  overdue: false;
  attempts: 0;
}

/** A journey as it starts: the read-model row its first projection writes, and its steps. */
export interface StartedJourney {
  row: JourneyRow;
  steps: StartedStep[];
}

/**
 * The journey as it starts, from what it starts with: the read-model row its first projection
 * writes (from the same header, see `journeyHeader`) and every step pending. The start answer
 * is this, so it needs no read of what the workflow is about to write.
 */
export function journeyAtStart(input: JourneyInput): StartedJourney {
  const header = journeyHeader(input);
  const startedAt = new Date(header.startedAt);
  return {
    row: {
      id: input.journeyId,
      life_event_key: header.lifeEventKey,
      life_event_version: header.lifeEventVersion,
      title: header.title,
      subject_type: input.subject.type,
      subject_id: input.subject.id,
      status: 'running',
      agencies: header.agencies,
      needs_attention: false,
      next_due_at: null,
      started_at: startedAt,
      completed_at: null,
      cancel_reason: null,
      started_by: header.startedBy,
      data: header.data,
      updated_at: startedAt,
    },
    steps: input.snapshot.nodes.map((n) => ({ key: n.key, agency: n.definition.agency, kind: n.definition.kind, status: 'pending', title: n.definition.titles, overdue: false, attempts: 0 })),
  };
}
