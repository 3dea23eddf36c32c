import { DocumentEnvelope, type DocumentKey } from './document-envelope';
import type { Db } from './db';

/** A preview as its requester sees it (no content). */
export interface EvidencePreviewRow {
  id: string;
  task_id: string;
  journey_id: string;
  node_key: string;
  doc_key: string;
  requested_by: string;
  source: string;
  evidence_type: string;
  hash: string;
  content_type: string;
  size: number;
  file_name: string;
  fetched_at: Date;
  expires_at: Date;
}

export type NewEvidencePreview = Omit<EvidencePreviewRow, 'fetched_at' | 'expires_at'>;

const COLUMNS = `id, task_id, journey_id, node_key, doc_key, requested_by, source, evidence_type, hash, content_type, size, file_name, fetched_at, expires_at`;
/** The preview's id binds the ciphertext (with its key id and hash): it cannot be passed off as another preview or a document. */
const bound = (id: string) => `evidence-preview:${id}`;
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/**
 * Evidence fetched from a source and held for the person who asked (`evidence_previews`, written
 * by the gateway and the retention job): encrypted at rest under the document keys, one per task,
 * document and requester (a new fetch replaces the earlier one), readable only by its requester and
 * only until it expires. Accepting or rejecting removes it.
 */
export class EvidencePreviews {
  private readonly envelope: DocumentEnvelope;

  constructor(
    private readonly db: Db,
    keys: readonly DocumentKey[],
  ) {
    this.envelope = new DocumentEnvelope(keys);
  }

  /** Stores (or replaces) the requester's preview of a task's document, expiring after `termMs`. */
  async hold(preview: NewEvidencePreview, content: Buffer, termMs: number): Promise<EvidencePreviewRow> {
    const { keyId, sealed } = this.envelope.seal(preview.hash, content, undefined, bound(preview.id));
    const [row]: EvidencePreviewRow[] = await this.db.query(
      `INSERT INTO evidence_previews (id, task_id, journey_id, node_key, doc_key, requested_by, source, evidence_type, hash, content_type, size, file_name, key_id, content, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now() + make_interval(secs => $15::double precision / 1000))
       ON CONFLICT (task_id, doc_key, requested_by) DO UPDATE SET id = EXCLUDED.id, source = EXCLUDED.source, evidence_type = EXCLUDED.evidence_type, hash = EXCLUDED.hash,
         content_type = EXCLUDED.content_type, size = EXCLUDED.size, file_name = EXCLUDED.file_name, key_id = EXCLUDED.key_id, content = EXCLUDED.content,
         fetched_at = now(), expires_at = EXCLUDED.expires_at
       RETURNING ${COLUMNS}`,
      [preview.id, preview.task_id, preview.journey_id, preview.node_key, preview.doc_key, preview.requested_by, preview.source, preview.evidence_type, preview.hash, preview.content_type, preview.size, preview.file_name, keyId, sealed, termMs],
    );
    return row;
  }

  /** The requester's previews of a task that have not expired. */
  async ofTask(taskId: string, requestedBy: string): Promise<EvidencePreviewRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM evidence_previews WHERE task_id = $1 AND requested_by = $2 AND expires_at > now() ORDER BY doc_key`, [taskId, requestedBy]);
  }

  /** The requester's preview of one document of a task, with its content; undefined when there is none (or it expired). */
  async open(taskId: string, docKey: string, requestedBy: string): Promise<{ row: EvidencePreviewRow; content: Buffer } | undefined> {
    const [found]: Array<EvidencePreviewRow & { key_id: string; content: Buffer }> = await this.db.query(
      `SELECT ${COLUMNS}, key_id, content FROM evidence_previews WHERE task_id = $1 AND doc_key = $2 AND requested_by = $3 AND expires_at > now()`,
      [taskId, docKey, requestedBy],
    );
    if (!found) return undefined;
    const { key_id: keyId, content: sealed, ...row } = found;
    return { row, content: this.envelope.open(row.hash, keyId, sealed, bound(row.id)) };
  }

  /** Removes the preview `id` (accepted or rejected); answers whether it was there. */
  async discard(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows: unknown[] = await this.db.query(`DELETE FROM evidence_previews WHERE id = $1 RETURNING 1`, [id]);
    return (Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length) > 0;
  }
}

/** Retention: at most `limit` previews past their expiry, in one statement; answers how many went. */
export async function purgeExpiredEvidencePreviews(db: Db, limit: number): Promise<number> {
  const [row]: Array<{ removed: number }> = await db.query(
    `WITH gone AS (DELETE FROM evidence_previews WHERE id IN (SELECT id FROM evidence_previews WHERE expires_at <= now() ORDER BY expires_at LIMIT $1) RETURNING 1)
     SELECT count(*)::int AS removed FROM gone`,
    [limit],
  );
  return Number(row?.removed ?? 0);
}
