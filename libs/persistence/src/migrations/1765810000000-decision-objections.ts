import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Objections against final decisions (`decision_objections`, the gateway's, like overrides): one
 * per decision, with the rule id and version it was against (the figures a rule owner needs), the
 * term it was filed in, and the review once a caseworker of the reviewing agency closed it. The
 * runtime login gets its rights from the default privileges.
 */
export class DecisionObjections1765810000000 implements MigrationInterface {
  name = 'DecisionObjections1765810000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE decision_objections (
        journey_id uuid NOT NULL,
        node_key varchar(64) NOT NULL,
        agency varchar(64) NOT NULL,
        reviewing_agency varchar(64) NOT NULL,
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
        reviewed_by varchar(200),
        reviewed_at timestamptz,
        PRIMARY KEY (journey_id, node_key),
        -- Goes with its decision (retention removes decisions with their journey).
        FOREIGN KEY (journey_id, node_key) REFERENCES decisions (journey_id, node_key) ON DELETE CASCADE
      );
      CREATE INDEX decision_objections_rule_idx ON decision_objections (rule_id, rule_version);
      CREATE INDEX decision_objections_open_idx ON decision_objections (reviewing_agency) WHERE status = 'filed';
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS decision_objections`);
  }
}
