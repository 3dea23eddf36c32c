import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents uploaded to tasks. `document_blobs` holds each distinct content once, encrypted
 * (AES-256-GCM: iv, ciphertext, tag) and addressed by the SHA-256 of its plaintext, with the id
 * of the key it was encrypted with; `task_documents` says which task's document (by the step's
 * key) is which content. Both are written by the gateway (an upload) and the retention job.
 */
export class Documents1765950000000 implements MigrationInterface {
  name = 'Documents1765950000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE document_blobs (
        hash char(64) PRIMARY KEY,
        key_id varchar(64) NOT NULL,
        content bytea NOT NULL,
        size integer NOT NULL CHECK (size > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE task_documents (
        id uuid PRIMARY KEY,
        task_id varchar(120) NOT NULL,
        journey_id uuid NOT NULL,
        node_key varchar(64) NOT NULL,
        doc_key varchar(64) NOT NULL,
        hash char(64) NOT NULL,
        content_type varchar(100) NOT NULL,
        size integer NOT NULL,
        file_name varchar(255) NOT NULL,
        uploaded_by varchar(200) NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (task_id, doc_key)
      );
      CREATE INDEX task_documents_journey ON task_documents (journey_id);
      CREATE INDEX task_documents_hash ON task_documents (hash);
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS task_documents; DROP TABLE IF EXISTS document_blobs;`);
  }
}
