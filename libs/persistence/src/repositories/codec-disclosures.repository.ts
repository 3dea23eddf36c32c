import type { SubjectType, Translations } from '@levensloop/domain';
import type { DataAccessOutcome } from '../entities/once-only.entities';
import { preparedRows } from '../query';
import { AUDIT_INSERT, type AuditEntry } from './audit-log.repository';
import type { Db } from './db';

/** A journey a decode disclosed, with its subject when the decoded payloads named it. */
export interface DisclosedJourney {
  journeyId: string;
  subject?: { type: SubjectType; id: string };
  /** Its access-log row is written once under this key. */
  accessKey: string;
}

/** What one decode by the codec server disclosed, and to whom: its audit row and the citizens' access-log rows. */
export interface CodecDisclosure {
  /** The request's audit row; its detail gets `accessLogRows` (written by this request) and `unattributedJourneys` added. */
  audit: AuditEntry;
  journeys: DisclosedJourney[];
  /** Subjects named outside any journey: a row each (once per access key), without a journey. */
  subjects: Array<{ type: SubjectType; id: string; accessKey: string }>;
  /** What every access-log row says: who read (`actor`, an auditor), from where, why, on what basis. */
  access: { actor: string; source: string; purpose: Partial<Translations>; legalBasis: { type: string; reference: string }; outcome: DataAccessOutcome };
}

export interface CodecDisclosureResult {
  /** Access-log rows this request wrote: one per journey whose subject is known and per subject outside a journey, unless its access key was written before. */
  accessLogRows: number;
  /** Journeys named without a subject that the read model does not know (not projected yet, or past retention). */
  unattributedJourneys: string[];
}

/**
 * The audit row and the access-log rows of one decode, in one statement (one round trip: the Web
 * UI and the CLI decode a history event by event, many requests at once). A journey named without
 * its subject takes the subject from the read model in the same statement; one the read model
 * does not know is named in the audit row only. An access-log row is written once per access key
 * (the caller's: one per reader, journey or subject, purpose and hour), so a history read in many
 * requests is one row in the citizen's log, while every request has its audit row. Both logs'
 * triggers chain the new rows.
 */
const RECORD_SQL = `
  WITH e AS (
    SELECT e.ordinality, e.access_key, e.journey_id,
           COALESCE(e.subject_type, j.subject_type) AS subject_type,
           COALESCE(e.subject_id, j.subject_id) AS subject_id
      FROM ROWS FROM (jsonb_to_recordset($6::jsonb) AS (access_key text, journey_id uuid, subject_type text, subject_id text)) WITH ORDINALITY AS e
      LEFT JOIN journeys j ON e.subject_id IS NULL AND j.id = e.journey_id),
  access AS (
    INSERT INTO data_access_log (access_key, subject_type, subject_id, journey_id, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
    SELECT access_key, subject_type, subject_id, journey_id, $7::varchar, 'auditor', $8::varchar, '{}'::text[], $9::jsonb, $10::jsonb, $11::varchar
      FROM e WHERE subject_id IS NOT NULL ORDER BY ordinality
    ON CONFLICT (access_key) DO NOTHING
    RETURNING id),
  audit AS (
    ${AUDIT_INSERT}
    SELECT $1::varchar, $2::varchar, $3::varchar, $4::varchar,
           $5::jsonb || jsonb_build_object(
             'accessLogRows', (SELECT count(*) FROM access),
             'unattributedJourneys', (SELECT COALESCE(jsonb_agg(journey_id::text ORDER BY ordinality), '[]'::jsonb) FROM e WHERE subject_id IS NULL))
    RETURNING detail)
  SELECT (detail->>'accessLogRows')::int AS logged, detail->'unattributedJourneys' AS unattributed FROM audit`;

/**
 * The codec server's record of what it decrypted: every decode is audited, and every citizen
 * whose journey (or data outside a journey) it disclosed gets a row in the data-access log, so
 * they read that an auditor looked at their journey's history, when and why.
 */
export class CodecDisclosures {
  constructor(private readonly db: Db) {}

  async record(d: CodecDisclosure): Promise<CodecDisclosureResult> {
    const rows = [
      ...d.journeys.map((j) => ({ access_key: j.accessKey, journey_id: j.journeyId, subject_type: j.subject?.type ?? null, subject_id: j.subject?.id ?? null })),
      ...d.subjects.map((s) => ({ access_key: s.accessKey, journey_id: null, subject_type: s.type, subject_id: s.id })),
    ];
    const [result] = await preparedRows<{ logged: number; unattributed: string[] }>(this.db, 'levensloop-codec-disclosure', RECORD_SQL, [
      d.audit.actor,
      d.audit.action,
      d.audit.targetType,
      d.audit.targetId,
      JSON.stringify(d.audit.detail ?? {}),
      JSON.stringify(rows),
      d.access.actor,
      d.access.source,
      JSON.stringify(d.access.purpose),
      JSON.stringify(d.access.legalBasis),
      d.access.outcome,
    ]);
    if (!result) throw new Error('the decode was not audited');
    return { accessLogRows: result.logged, unattributedJourneys: result.unattributed };
  }
}
