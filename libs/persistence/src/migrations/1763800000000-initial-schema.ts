import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE agencies (
        code varchar(64) PRIMARY KEY,
        names jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE service_steps (
        agency varchar(64) NOT NULL REFERENCES agencies(code),
        key varchar(64) NOT NULL,
        version int NOT NULL CHECK (version > 0),
        status varchar(16) NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
        kind varchar(16) NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        retired_at timestamptz,
        PRIMARY KEY (agency, key, version)
      );

      CREATE TABLE life_events (
        key varchar(64) NOT NULL,
        version int NOT NULL CHECK (version > 0),
        status varchar(16) NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
        audience varchar(16) NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        retired_at timestamptz,
        PRIMARY KEY (key, version)
      );

      CREATE TABLE journeys (
        id uuid PRIMARY KEY,
        idempotency_key varchar(300) NOT NULL UNIQUE,
        life_event_key varchar(64) NOT NULL,
        life_event_version int NOT NULL,
        title jsonb NOT NULL,
        subject_type varchar(16) NOT NULL,
        subject_id varchar(32) NOT NULL,
        status varchar(24) NOT NULL,
        agencies text[] NOT NULL,
        needs_attention boolean NOT NULL DEFAULT false,
        next_due_at timestamptz,
        started_at timestamptz NOT NULL,
        completed_at timestamptz,
        started_by varchar(200) NOT NULL,
        cancel_reason text,
        data jsonb NOT NULL,
        projection_seq int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL
      );
      -- The caseworker list is keyset-paginated on (started_at DESC, id DESC) under any filter.
      CREATE INDEX journeys_started_idx ON journeys (started_at DESC, id DESC);
      CREATE INDEX journeys_status_idx ON journeys (status, started_at DESC, id DESC);
      CREATE INDEX journeys_life_event_idx ON journeys (life_event_key, started_at DESC, id DESC);
      CREATE INDEX journeys_subject_idx ON journeys (subject_id, started_at DESC);
      CREATE INDEX journeys_agencies_idx ON journeys USING gin (agencies);
      CREATE INDEX journeys_attention_idx ON journeys (started_at DESC, id DESC) WHERE needs_attention;
      CREATE INDEX journeys_due_idx ON journeys (next_due_at) WHERE next_due_at IS NOT NULL;

      CREATE TABLE journey_steps (
        journey_id uuid NOT NULL REFERENCES journeys(id),
        node_key varchar(64) NOT NULL,
        agency varchar(64) NOT NULL,
        kind varchar(16) NOT NULL,
        status varchar(24) NOT NULL,
        title jsonb NOT NULL,
        started_at timestamptz,
        due_at timestamptz,
        completed_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        outcome jsonb,
        error text,
        warned boolean NOT NULL DEFAULT false,
        escalated boolean NOT NULL DEFAULT false,
        PRIMARY KEY (journey_id, node_key)
      );

      CREATE TABLE journey_events (
        journey_id uuid NOT NULL REFERENCES journeys(id),
        seq int NOT NULL,
        at timestamptz NOT NULL,
        type varchar(40) NOT NULL,
        node_key varchar(64),
        detail jsonb,
        PRIMARY KEY (journey_id, seq)
      );

      CREATE TABLE tasks (
        id varchar(120) PRIMARY KEY,
        journey_id uuid NOT NULL REFERENCES journeys(id),
        node_key varchar(64) NOT NULL,
        agency varchar(64) NOT NULL,
        assignee varchar(16) NOT NULL,
        subject_type varchar(16) NOT NULL,
        subject_id varchar(32) NOT NULL,
        status varchar(16) NOT NULL,
        title jsonb NOT NULL,
        claimed_by varchar(200),
        due_at timestamptz,
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        completed_by varchar(200),
        outcome varchar(16),
        data jsonb,
        comment text,
        UNIQUE (journey_id, node_key)
      );
      CREATE INDEX tasks_agency_open_idx ON tasks (agency, status, due_at) WHERE status IN ('open', 'claimed');
      CREATE INDEX tasks_subject_idx ON tasks (subject_id, status);
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE tasks; DROP TABLE journey_events; DROP TABLE journey_steps; DROP TABLE journeys;
      DROP TABLE life_events; DROP TABLE service_steps; DROP TABLE agencies;
    `);
  }
}
