import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence from authentic sources on the person's request. `evidence_previews` holds a fetched
 * document until the person who asked accepts or rejects it (one per task, document and
 * requester), encrypted like uploads (AES-256-GCM under the document keys) with its own expiry;
 * an accepted preview becomes a task document and leaves this table. `task_documents.origin`
 * says where an accepted one came from (null: an upload).
 */
export class EvidencePreviews1765990000000 implements MigrationInterface {
  name = 'EvidencePreviews1765990000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE evidence_previews (
        id uuid PRIMARY KEY,
        task_id varchar(120) NOT NULL,
        journey_id uuid NOT NULL,
        node_key varchar(64) NOT NULL,
        doc_key varchar(64) NOT NULL,
        requested_by varchar(200) NOT NULL,
        source varchar(64) NOT NULL,
        evidence_type varchar(64) NOT NULL,
        hash char(64) NOT NULL,
        content_type varchar(100) NOT NULL,
        size integer NOT NULL CHECK (size > 0),
        file_name varchar(255) NOT NULL,
        key_id varchar(64) NOT NULL,
        content bytea NOT NULL,
        fetched_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        UNIQUE (task_id, doc_key, requested_by)
      );
      CREATE INDEX evidence_previews_expires ON evidence_previews (expires_at);
      ALTER TABLE task_documents ADD COLUMN origin jsonb;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE task_documents DROP COLUMN IF EXISTS origin; DROP TABLE IF EXISTS evidence_previews;`);
  }
}
