import type { Pool, PoolClient } from 'pg';
import { callAgencyEndpoint } from '@levensloop/agency-client';
import type { BenchActivities } from './bench-types';

/**
 * The citizen is told too, as the engine does: the dossier status on the e-counter after every
 * change, and a message when the journey starts and ends (the dispatcher delivers both).
 */
async function tell(client: PoolClient, journeyId: string, seq: number, category?: string) {
  if (category) {
    await client.query(
      `INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, event_seq)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) ON CONFLICT (dedup_key) DO NOTHING`,
      [`${journeyId}/${seq}`, journeyId, journeyId, category, seq],
    );
  }
  await client.query(`INSERT INTO dossier_status_outbox (journey_id, seq) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [journeyId, seq]);
  await client.query(`SELECT pg_notify('levensloop_outbox', $1)`, [journeyId]);
}

async function inTransaction(pool: Pool, work: (client: PoolClient) => Promise<void>) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** What a team would write by hand: call the agency, then record the step in the same tables. */
export function createBenchActivities(pool: Pool): BenchActivities {
  return {
    async noop() {},
    async recordJourney({ journeyId, status, steps, seq }) {
      await inTransaction(pool, async (client) => {
        if (status === 'running') {
          await client.query(
            `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status,
                                   agencies, started_at, started_by, data, updated_at)
             VALUES ($1, $2, 'handwritten', 1, '{"nl":"x"}', 'person', '85073003328', 'running', ARRAY['bench'], now(), 'bench', $3, now())
             ON CONFLICT DO NOTHING`,
            [journeyId, `handwritten:${journeyId}`, JSON.stringify({ steps })],
          );
        } else {
          await client.query(`UPDATE journeys SET status = 'completed', completed_at = now(), updated_at = now() WHERE id = $1`, [journeyId]);
        }
        await tell(client, journeyId, seq, status === 'running' ? 'journey.started' : 'journey.completed');
      });
    },
    async callAndRecord({ journeyId, step, endpoint, subject }) {
      const started = new Date().toISOString();
      const result = await callAgencyEndpoint(
        { journeyId, nodeKey: step, agency: 'bench', endpoint, idempotencyKey: `${journeyId}/${step}`, subject, data: {} },
        // The stack's environment allows the sandbox, as it does for the engine's worker.
        { timeoutMs: 15_000, allowedInternalHosts: (process.env.AGENCY_ALLOWED_INTERNAL_HOSTS ?? '').split(',').filter(Boolean) },
      );
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO journey_steps (journey_id, node_key, agency, kind, status, title, started_at, completed_at, attempts, outcome)
           VALUES ($1, $2, 'bench', 'automatic', 'completed', '{"nl":"x"}', $3, now(), 1, $4)
           ON CONFLICT (journey_id, node_key) DO UPDATE SET status = 'completed', completed_at = now(), outcome = EXCLUDED.outcome`,
          [journeyId, step, started, JSON.stringify({ result: 'done', data: result.body })],
        );
        const seq = Number(step.slice(1)) * 2;
        await client.query(
          `INSERT INTO journey_events (journey_id, seq, at, type, node_key) VALUES ($1, $2, $3, 'step.started', $4), ($1, $5, now(), 'step.completed', $4)
           ON CONFLICT DO NOTHING`,
          [journeyId, seq, started, step, seq + 1],
        );
        await tell(client, journeyId, seq + 1);
      });
    },
  };
}
