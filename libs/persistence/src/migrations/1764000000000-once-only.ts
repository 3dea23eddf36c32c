import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Once-only data and proactive journeys: the inbox of source events, the data-access log, the
 * fields each journey step used (fetched or asked), consents, automatic decisions, mandates,
 * the audit log; and tasks that ask the citizen for a consent or missing data.
 */
export class OnceOnly1764000000000 implements MigrationInterface {
  name = 'OnceOnly1764000000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE source_events (
        source varchar(200) NOT NULL,
        event_id varchar(200) NOT NULL,
        type varchar(200) NOT NULL,
        subject varchar(200),
        time timestamptz,
        data jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        received_by varchar(200) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'received',
        processed_at timestamptz,
        result jsonb,
        error text,
        PRIMARY KEY (source, event_id)
      );
      CREATE INDEX source_events_pending_idx ON source_events (received_at) WHERE status = 'received';
      CREATE INDEX source_events_subject_idx ON source_events (subject);

      CREATE TABLE data_access_log (
        id bigserial PRIMARY KEY,
        access_key varchar(300) UNIQUE,
        at timestamptz NOT NULL DEFAULT now(),
        subject_type varchar(16) NOT NULL,
        subject_id varchar(32) NOT NULL,
        journey_id uuid,
        node_key varchar(64),
        agency varchar(64),
        step_key varchar(64),
        actor varchar(200) NOT NULL,
        actor_kind varchar(16) NOT NULL,
        source varchar(64) NOT NULL,
        fields text[] NOT NULL,
        purpose jsonb NOT NULL,
        legal_basis jsonb NOT NULL,
        outcome varchar(16) NOT NULL,
        reason text
      );
      CREATE INDEX data_access_log_subject_idx ON data_access_log (subject_id, at DESC, id DESC);
      CREATE INDEX data_access_log_journey_idx ON data_access_log (journey_id);
      CREATE INDEX data_access_log_at_idx ON data_access_log (at DESC, id DESC);

      -- No foreign key to journeys: a step may fetch before the journey's first projection lands.
      CREATE TABLE journey_data_fields (
        journey_id uuid NOT NULL,
        node_key varchar(64) NOT NULL,
        source varchar(64) NOT NULL,
        field varchar(200) NOT NULL,
        origin varchar(16) NOT NULL,
        value jsonb,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (journey_id, node_key, source, field)
      );

      CREATE TABLE consents (
        id uuid PRIMARY KEY,
        subject_type varchar(16) NOT NULL,
        subject_id varchar(32) NOT NULL,
        agency varchar(64) NOT NULL,
        step_key varchar(64) NOT NULL,
        source varchar(64) NOT NULL,
        field varchar(200) NOT NULL,
        status varchar(16) NOT NULL,
        journey_id uuid,
        node_key varchar(64),
        given_by varchar(200) NOT NULL,
        given_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        UNIQUE (subject_id, agency, step_key, source, field)
      );

      CREATE TABLE decisions (
        journey_id uuid NOT NULL,
        node_key varchar(64) NOT NULL,
        subject_type varchar(16) NOT NULL,
        subject_id varchar(32) NOT NULL,
        agency varchar(64) NOT NULL,
        step_key varchar(64) NOT NULL,
        step_version int NOT NULL,
        rule_id varchar(64) NOT NULL,
        rule_version int NOT NULL,
        inputs jsonb NOT NULL,
        outcome varchar(16) NOT NULL,
        branch int NOT NULL,
        explanation jsonb NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        override_outcome varchar(16),
        override_reason text,
        overridden_by varchar(200),
        overridden_at timestamptz,
        PRIMARY KEY (journey_id, node_key)
      );
      CREATE INDEX decisions_subject_idx ON decisions (subject_id);

      CREATE TABLE mandates (
        holder_id varchar(32) NOT NULL,
        subject_type varchar(16) NOT NULL,
        subject_id varchar(32) NOT NULL,
        kind varchar(32) NOT NULL,
        source varchar(200) NOT NULL,
        valid_from timestamptz NOT NULL DEFAULT now(),
        valid_until timestamptz,
        PRIMARY KEY (holder_id, subject_id, kind)
      );
      CREATE INDEX mandates_subject_idx ON mandates (subject_id);

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor varchar(200) NOT NULL,
        action varchar(64) NOT NULL,
        target_type varchar(32) NOT NULL,
        target_id varchar(200) NOT NULL,
        detail jsonb
      );
      CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);
      CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);

      ALTER TABLE tasks ADD COLUMN purpose varchar(16) NOT NULL DEFAULT 'task';
      ALTER TABLE tasks ADD COLUMN fields jsonb;
      ALTER TABLE tasks DROP CONSTRAINT tasks_journey_id_node_key_key;
      CREATE UNIQUE INDEX tasks_journey_node_purpose_idx ON tasks (journey_id, node_key, purpose);
      ALTER TABLE journeys ADD COLUMN source_event jsonb;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE journeys DROP COLUMN source_event;
      DROP INDEX tasks_journey_node_purpose_idx;
      ALTER TABLE tasks DROP COLUMN fields;
      ALTER TABLE tasks DROP COLUMN purpose;
      ALTER TABLE tasks ADD CONSTRAINT tasks_journey_id_node_key_key UNIQUE (journey_id, node_key);
      DROP TABLE audit_log; DROP TABLE mandates; DROP TABLE decisions; DROP TABLE consents;
      DROP TABLE journey_data_fields; DROP TABLE data_access_log; DROP TABLE source_events;
    `);
  }
}
