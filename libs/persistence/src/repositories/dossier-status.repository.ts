import type { DataSource } from 'typeorm';
import { type SubjectType, type Translations } from '@levensloop/domain';
import { count, rows } from './sql';
import { personHoldersSql } from './mandate-recipients';

/** A dossier-status change taken for its push (attempts counts this one). */
export interface ClaimedStatus {
  journey_id: string;
  seq: number;
  attempts: number;
  created_at: Date;
}

/** The journey as the e-counter's dossier shows it, read from the read model now. */
export interface DossierSource {
  journey: {
    id: string;
    title: Translations;
    status: string;
    subject_type: SubjectType;
    subject_id: string;
    life_event_key: string;
    updated_at: Date;
    language: string | null;
    prefilled_language: string | null;
  };
  steps: Array<{ kind: string; status: string; title: Translations }>;
  citizenTasks: Translations[];
  holders: string[];
}

/** Per journey the newest of the changes taken: only that one is sent. */
export function newestPerJourney<T extends { journey_id: string; seq: number }>(taken: readonly T[]): T[] {
  const newest = new Map<string, T>();
  for (const r of taken) if ((newest.get(r.journey_id)?.seq ?? -Infinity) < r.seq) newest.set(r.journey_id, r);
  return [...newest.values()];
}

/** The advisory lock that serialises dossier-status claims across dispatchers (any constant of our own). */
const CLAIM_LOCK = 0x64737331;

/**
 * `dossier_status_outbox`, written by the projection (a row per change) and worked by the
 * dispatcher: per journey only the newest pending change is pushed, older ones are superseded,
 * and a change older than one already on the e-counter is never sent.
 */
export class DossierStatusOutbox {
  constructor(private readonly ds: DataSource) {}

  /**
   * Takes up to `limit` due changes, keeps the newest per journey (the others superseded) and
   * leases them: if the push is not recorded, the row is due again after `leaseSeconds` (same
   * seq: the e-counter keeps it once). A journey with a change under lease (another dispatcher's
   * push in flight; the lease ends when the row is due again) is left alone until that one is
   * recorded, so a journey's pushes go out in order;
   * claims are serialised across dispatchers (a transaction-level advisory lock) so two never see
   * the same journey free at once.
   */
  claim(limit: number, leaseSeconds: number): Promise<ClaimedStatus[]> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`);
      await em.query(
        `UPDATE dossier_status_outbox o SET status = 'superseded'
          WHERE o.status = 'pending' AND o.next_attempt_at <= now()
            AND EXISTS (SELECT 1 FROM dossier_status_outbox x WHERE x.journey_id = o.journey_id AND x.status = 'delivered' AND x.seq > o.seq)`,
      );
      const taken = await rows<ClaimedStatus>(
        em,
        `SELECT journey_id, seq, attempts, created_at FROM dossier_status_outbox o
          WHERE status = 'pending' AND next_attempt_at <= now()
            AND NOT EXISTS (SELECT 1 FROM dossier_status_outbox x WHERE x.journey_id = o.journey_id AND x.status = 'pending' AND x.leased_until > now() AND x.next_attempt_at > now())
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      const chosen = newestPerJourney(taken);
      if (!chosen.length) return chosen;
      const keys = [chosen.map((c) => c.journey_id), chosen.map((c) => c.seq)];
      await em.query(
        `UPDATE dossier_status_outbox o SET status = 'superseded'
           FROM unnest($1::uuid[], $2::int[]) AS c(journey_id, seq)
          WHERE o.journey_id = c.journey_id AND o.seq < c.seq AND o.status = 'pending'`,
        keys,
      );
      await em.query(
        `UPDATE dossier_status_outbox o SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $3), leased_until = now() + make_interval(secs => $3)
           FROM unnest($1::uuid[], $2::int[]) AS c(journey_id, seq) WHERE o.journey_id = c.journey_id AND o.seq = c.seq`,
        [...keys, leaseSeconds],
      );
      return chosen.map((c) => ({ ...c, attempts: c.attempts + 1 }));
    });
  }

  /** Gives back claimed changes not pushed (over the shared rate, or a dispatcher stopping): due again at once, the attempt not counted. */
  async release(claims: ReadonlyArray<{ journey_id: string; seq: number; attempts: number }>): Promise<number> {
    if (!claims.length) return 0;
    return count(
      this.ds,
      `UPDATE dossier_status_outbox o SET attempts = o.attempts - 1, next_attempt_at = now(), leased_until = NULL
         FROM unnest($1::uuid[], $2::int[], $3::int[]) AS c(journey_id, seq, attempts)
        WHERE o.journey_id = c.journey_id AND o.seq = c.seq AND o.attempts = c.attempts AND o.status = 'pending'`,
      [claims.map((c) => c.journey_id), claims.map((c) => c.seq), claims.map((c) => c.attempts)],
    );
  }

  /** The journey, its steps, the citizen's open tasks and the holders who see it (undefined: not in the read model). */
  async dossierOf(journeyId: string): Promise<DossierSource | undefined> {
    const [journey] = await rows<DossierSource['journey']>(
      this.ds,
      `SELECT j.id, j.title, j.status, j.subject_type, j.subject_id, j.life_event_key, j.updated_at, cp.language, pf.prefilled->>'language' AS prefilled_language
         FROM journeys j LEFT JOIN contact_preferences cp ON cp.subject_id = j.subject_id
         LEFT JOIN contact_prefills pf ON pf.subject_id = j.subject_id WHERE j.id = $1`,
      [journeyId],
    );
    if (!journey) return undefined;
    const [steps, tasks, holders] = await Promise.all([
      rows<DossierSource['steps'][number]>(this.ds, `SELECT kind, status, title FROM journey_steps WHERE journey_id = $1 ORDER BY started_at NULLS LAST, node_key`, [journeyId]),
      rows<{ title: Translations }>(this.ds, `SELECT title FROM tasks WHERE journey_id = $1 AND assignee = 'citizen' AND status IN ('open', 'claimed') ORDER BY created_at`, [journeyId]),
      rows<{ holder_id: string }>(
        this.ds,
        `SELECT h.holder_id FROM (${personHoldersSql('$1', '$2::text')}) h ORDER BY h.holder_id`,
        [journey.subject_id, journey.life_event_key],
      ),
    ]);
    return { journey, steps, citizenTasks: tasks.map((t) => t.title), holders: holders.map((h) => h.holder_id) };
  }

  async markDelivered(journeyId: string, seq: number, payload: Record<string, unknown>): Promise<void> {
    await this.ds.query(
      `UPDATE dossier_status_outbox SET status = 'delivered', delivered_at = now(), payload = $3, last_error = NULL, leased_until = NULL WHERE journey_id = $1 AND seq = $2 AND status = 'pending'`,
      [journeyId, seq, JSON.stringify(payload)],
    );
  }

  /** A failed push: `failed` for good, or still pending and due again after `retryInSeconds`. */
  async markFailed(journeyId: string, seq: number, f: { final: boolean; error: string; retryInSeconds: number; payload: Record<string, unknown> | undefined }): Promise<void> {
    await this.ds.query(
      `UPDATE dossier_status_outbox SET status = $3, last_error = $4, next_attempt_at = now() + make_interval(secs => $5), payload = $6, leased_until = NULL
        WHERE journey_id = $1 AND seq = $2 AND status = 'pending'`,
      [journeyId, seq, f.final ? 'failed' : 'pending', f.error.slice(0, 1000), f.retryInSeconds, f.payload ? JSON.stringify(f.payload) : null],
    );
  }

  /** Changes by status (metrics). */
  countsByStatus(): Promise<Array<{ status: string; n: number }>> {
    return rows(this.ds, `SELECT status, count(*)::int AS n FROM dossier_status_outbox GROUP BY 1`);
  }
}
