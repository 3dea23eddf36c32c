import type { DataSource } from 'typeorm';
import { JourneyReadModel } from '@levensloop/persistence';
import type { JourneyProjection } from '@levensloop/contracts/workflow';

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
    p.status === 'needs_attention',
    p.nextDueAt ?? null,
    p.completedAt ?? null,
    p.cancelReason ?? null,
    p.seq,
    JSON.stringify(p.steps.map((s) => ({ ...s, title: p.titles[s.key] ?? { nl: s.key } }))),
    JSON.stringify(p.events),
    p.header ? JSON.stringify(p.header) : null,
    p.subject.type,
    p.subject.id,
  ]);
  // Only a projection without the header can find no row: the one that carried it did not arrive yet.
  if (!applied && !known) throw new Error(`Journey ${p.journeyId} is not in the read model yet.`);
  return applied > 0;
}

/** Task ids are derived from the journey, the step and the purpose, so every writer agrees on them. */
export function taskId(journeyId: string, nodeKey: string, purpose: 'task' | 'consent' | 'data' = 'task'): string {
  return purpose === 'task' ? `${journeyId}.${nodeKey}` : `${journeyId}.${nodeKey}.${purpose}`;
}
