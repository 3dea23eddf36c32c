import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mandates people grant (`granted_mandates`, the gateway's): a citizen, or an enterprise through
 * a representative the enterprise register confirms, grants a person or an enterprise a mandate
 * with a scope and a period; the holder accepts it (pending until then); either side revokes it.
 * `mandates` stays the source-event activities' table (mandates a register event creates): the
 * view `mandates_in_force` puts both side by side with the columns of `mandates`, so every
 * question "does this holder act for this subject" reads one relation and `Mandates.coversSql`
 * stays the one validity predicate. A granted mandate counts there only once accepted and until
 * revoked (its `kind` is `granted`, its `source` `granted:<id>`).
 */
export class GrantedMandates1765930000000 implements MigrationInterface {
  name = 'GrantedMandates1765930000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE granted_mandates (
        id uuid PRIMARY KEY,
        grantor_type varchar(16) NOT NULL CHECK (grantor_type IN ('person', 'enterprise')),
        grantor_id varchar(32) NOT NULL,
        granted_by varchar(32) NOT NULL,
        holder_type varchar(16) NOT NULL CHECK (holder_type IN ('person', 'enterprise')),
        holder_id varchar(32) NOT NULL,
        access varchar(8) NOT NULL CHECK (access IN ('read', 'act')),
        life_events text[],
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        reason text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
        created_at timestamptz NOT NULL DEFAULT now(),
        accepted_at timestamptz,
        revoked_at timestamptz,
        revoked_by varchar(255),
        revoke_reason text,
        CHECK (valid_until > valid_from),
        CHECK (grantor_id <> holder_id)
      );
      CREATE INDEX granted_mandates_grantor_idx ON granted_mandates (grantor_id);
      CREATE INDEX granted_mandates_holder_idx ON granted_mandates (holder_id);
      CREATE VIEW mandates_in_force AS
        SELECT holder_id, subject_type, subject_id, kind, source, valid_from, valid_until, access, life_events FROM mandates
        UNION ALL
        SELECT holder_id, grantor_type, grantor_id, 'granted', 'granted:' || id, valid_from, valid_until, access, life_events
          FROM granted_mandates WHERE status = 'accepted';
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW mandates_in_force; DROP TABLE granted_mandates;`);
  }
}
