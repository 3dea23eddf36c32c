import type { DataSource, EntityManager } from 'typeorm';
import type { JourneyProjection } from '@levensloop/contracts/workflow';

const HUMAN_KINDS = new Set(['caseworker', 'citizen']);

/**
 * Applies a journey projection to the read model. Idempotent and order-safe: a projection is
 * applied only when its sequence number is newer than the one stored, all in one transaction.
 * Returns false when the projection was already applied (or a newer one was).
 */
export async function applyJourneyProjection(ds: DataSource, p: JourneyProjection): Promise<boolean> {
  return ds.transaction(async (tx) => {
    const updated: [unknown[], number] = await tx.query(
      `UPDATE journeys
          SET status = $2, needs_attention = $3, next_due_at = $4, completed_at = $5,
              cancel_reason = $6, projection_seq = $7, updated_at = now()
        WHERE id = $1 AND projection_seq < $7`,
      [
        p.journeyId,
        p.status,
        p.status === 'needs_attention',
        p.nextDueAt ?? null,
        p.completedAt ?? null,
        p.cancelReason ?? null,
        p.seq,
      ],
    );
    if (updated[1] === 0) {
      const exists = await tx.query(`SELECT 1 FROM journeys WHERE id = $1`, [p.journeyId]);
      if (exists.length > 0) return false; // already applied, or a newer projection was
      if (!p.header) throw new Error(`Journey ${p.journeyId} is not in the read model yet.`);
      await insertJourneyRow(tx, p);
    }
    await upsertSteps(tx, p);
    await insertEvents(tx, p);
    await syncTasks(tx, p);
    return true;
  });
}

/** The gateway normally inserts the row at start; the first projection does it if it could not. */
async function insertJourneyRow(tx: EntityManager, p: JourneyProjection) {
  const h = p.header!;
  await tx.query(
    `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type,
                           subject_id, status, agencies, needs_attention, next_due_at, started_at,
                           completed_at, started_by, cancel_reason, data, projection_seq, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, now())
     ON CONFLICT DO NOTHING`,
    [
      p.journeyId,
      h.idempotencyKey,
      h.lifeEventKey,
      h.lifeEventVersion,
      JSON.stringify(h.title),
      p.subject.type,
      p.subject.id,
      p.status,
      h.agencies,
      p.status === 'needs_attention',
      p.nextDueAt ?? null,
      h.startedAt,
      p.completedAt ?? null,
      h.startedBy,
      p.cancelReason ?? null,
      JSON.stringify(h.data),
      p.seq,
    ],
  );
}

async function upsertSteps(tx: EntityManager, p: JourneyProjection) {
  if (p.steps.length === 0) return;
  const values: unknown[] = [];
  const rows = p.steps.map((s, i) => {
    values.push(
      p.journeyId,
      s.key,
      s.agency,
      s.kind,
      s.status,
      JSON.stringify(p.titles[s.key] ?? { nl: s.key }),
      s.startedAt ?? null,
      s.dueAt ?? null,
      s.completedAt ?? null,
      s.attempts,
      s.outcome ? JSON.stringify(s.outcome) : null,
      s.error ?? null,
      s.warned ?? false,
      s.escalated ?? false,
    );
    const o = i * 14;
    return `(${Array.from({ length: 14 }, (_, j) => `$${o + j + 1}`).join(', ')})`;
  });
  await tx.query(
    `INSERT INTO journey_steps (journey_id, node_key, agency, kind, status, title, started_at, due_at,
                                completed_at, attempts, outcome, error, warned, escalated)
     VALUES ${rows.join(', ')}
     ON CONFLICT (journey_id, node_key) DO UPDATE SET
       status = EXCLUDED.status, started_at = EXCLUDED.started_at, due_at = EXCLUDED.due_at,
       completed_at = EXCLUDED.completed_at, attempts = EXCLUDED.attempts, outcome = EXCLUDED.outcome,
       error = EXCLUDED.error, warned = EXCLUDED.warned, escalated = EXCLUDED.escalated`,
    values,
  );
}

async function insertEvents(tx: EntityManager, p: JourneyProjection) {
  if (p.events.length === 0) return;
  const values: unknown[] = [];
  const rows = p.events.map((e, i) => {
    values.push(p.journeyId, e.seq, e.at, e.type, e.step ?? null, e.detail ? JSON.stringify(e.detail) : null);
    const o = i * 6;
    return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6})`;
  });
  await tx.query(
    `INSERT INTO journey_events (journey_id, seq, at, type, node_key, detail) VALUES ${rows.join(', ')}
     ON CONFLICT (journey_id, seq) DO NOTHING`,
    values,
  );
}

/** Opens a task for every waiting human step and closes tasks of steps that moved on. */
async function syncTasks(tx: EntityManager, p: JourneyProjection) {
  for (const s of p.steps) {
    if (!HUMAN_KINDS.has(s.kind) || s.status === 'pending') continue;
    if (s.status === 'waiting') {
      await tx.query(
        `INSERT INTO tasks (id, journey_id, node_key, agency, assignee, subject_type, subject_id, status,
                            title, due_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10)
         ON CONFLICT (journey_id, node_key) DO NOTHING`,
        [
          taskId(p.journeyId, s.key),
          p.journeyId,
          s.key,
          s.agency,
          s.kind,
          p.subject.type,
          p.subject.id,
          JSON.stringify(p.titles[s.key] ?? { nl: s.key }),
          s.dueAt ?? null,
          s.startedAt ?? new Date().toISOString(),
        ],
      );
    } else if (s.status === 'completed') {
      const outcome = s.outcome?.result === 'rejected' ? 'reject' : 'approve';
      await tx.query(
        `UPDATE tasks SET status = 'completed', completed_at = $3, completed_by = $4, outcome = $5,
                          data = $6, comment = $7
          WHERE journey_id = $1 AND node_key = $2 AND status IN ('open', 'claimed')`,
        [
          p.journeyId,
          s.key,
          s.completedAt ?? null,
          s.outcome?.by ?? null,
          outcome,
          s.outcome?.data ? JSON.stringify(s.outcome.data) : null,
          s.outcome?.comment ?? null,
        ],
      );
    } else if (s.status === 'cancelled' || s.status === 'skipped') {
      await tx.query(
        `UPDATE tasks SET status = 'cancelled', completed_at = $3
          WHERE journey_id = $1 AND node_key = $2 AND status IN ('open', 'claimed')`,
        [p.journeyId, s.key, s.completedAt ?? null],
      );
    }
  }
}

/** Task ids are derived from the journey and the step, so every writer agrees on them. */
export function taskId(journeyId: string, nodeKey: string): string {
  return `${journeyId}.${nodeKey}`;
}
