import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents in an S3-compatible bucket (DOCUMENT_STORE=s3): `document_blobs` keeps one row per
 * content hash whichever the store (its key id and size, and the row the retention clean-up and
 * an upload of the same content lock), with the encrypted content in the row (PostgreSQL) or,
 * when `content` is NULL, in the bucket under the hash.
 */
export class DocumentObjects1766000000000 implements MigrationInterface {
  name = 'DocumentObjects1766000000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE document_blobs ALTER COLUMN content DROP NOT NULL`);
  }

  public async down(db: QueryRunner): Promise<void> {
    // Rows whose content is in a bucket have none here: they cannot go back.
    await db.query(`DELETE FROM document_blobs WHERE content IS NULL; ALTER TABLE document_blobs ALTER COLUMN content SET NOT NULL`);
  }
}
