import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appeals, the second stage after an upheld objection (`decision_appeals`, the gateway's, like
 * objections): one per decision, with the rule id and version, the term it was filed in, the
 * agency that decides it, and its decision once a caseworker of that agency took it. Goes with its
 * objection (and so with its decision). The runtime login gets its rights from the default privileges.
 */
export class DecisionAppeals1765900000000 implements MigrationInterface {
  name = 'DecisionAppeals1765900000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE decision_appeals (
        journey_id uuid NOT NULL,
        node_key varchar(64) NOT NULL,
        agency varchar(64) NOT NULL,
        rule_id varchar(128) NOT NULL,
        rule_version integer NOT NULL,
        against varchar(16) NOT NULL,
        reason text NOT NULL,
        filed_by varchar(200) NOT NULL,
        filed_at timestamptz NOT NULL DEFAULT now(),
        term_ends_at timestamptz NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'filed' CHECK (status IN ('filed', 'upheld', 'revised')),
        verdict varchar(16) CHECK (verdict IN ('uphold', 'grant', 'deny')),
        explanation jsonb,
        decided_by varchar(200),
        decided_at timestamptz,
        PRIMARY KEY (journey_id, node_key),
        FOREIGN KEY (journey_id, node_key) REFERENCES decision_objections (journey_id, node_key) ON DELETE CASCADE
      );
      CREATE INDEX decision_appeals_open_idx ON decision_appeals (agency) WHERE status = 'filed';
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS decision_appeals`);
  }
}
