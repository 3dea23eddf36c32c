import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications and dossier status: templates, contact preferences, the notification outbox
 * (written by the read-model projection in the same statement as the state change), deliveries
 * per recipient and channel with their status model, the dossier-status outbox, and letters.
 */
export class Notifications1764100000000 implements MigrationInterface {
  name = 'Notifications1764100000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notification_templates (
        category varchar(64) NOT NULL,
        language varchar(2) NOT NULL,
        version int NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        sms text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by varchar(200) NOT NULL,
        PRIMARY KEY (category, language, version)
      );

      CREATE TABLE contact_preferences (
        subject_type varchar(16) NOT NULL,
        subject_id varchar(32) NOT NULL,
        language varchar(2),
        channels text[],
        email varchar(320),
        phone varchar(32),
        postal_address jsonb,
        mandate_copies boolean NOT NULL DEFAULT true,
        prefilled jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by varchar(200),
        PRIMARY KEY (subject_id)
      );

      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        dedup_key varchar(300) NOT NULL UNIQUE,
        journey_id uuid NOT NULL,
        transaction_id varchar(64) NOT NULL,
        category varchar(64) NOT NULL,
        node_key varchar(64),
        event_seq int,
        data jsonb,
        action_needed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        fanned_out_at timestamptz
      );
      CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE fanned_out_at IS NULL;
      CREATE INDEX notifications_journey_idx ON notifications (journey_id, created_at);

      CREATE TABLE notification_deliveries (
        id uuid PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications(id),
        recipient_type varchar(16) NOT NULL,
        recipient_id varchar(32) NOT NULL,
        relation varchar(16) NOT NULL,
        channel varchar(16) NOT NULL,
        address text,
        language varchar(2) NOT NULL,
        status varchar(24) NOT NULL DEFAULT 'queued',
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        provider_ref varchar(200),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        delivered_at timestamptz,
        read_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (notification_id, recipient_id, channel)
      );
      CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status IN ('queued', 'temporary_failure');
      CREATE INDEX notification_deliveries_recipient_idx ON notification_deliveries (recipient_id, created_at DESC);

      CREATE TABLE dossier_status_outbox (
        journey_id uuid NOT NULL,
        seq int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        status varchar(16) NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        payload jsonb,
        delivered_at timestamptz,
        PRIMARY KEY (journey_id, seq)
      );
      CREATE INDEX dossier_status_outbox_pending_idx ON dossier_status_outbox (next_attempt_at) WHERE status = 'pending';

      CREATE TABLE letters (
        id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL UNIQUE REFERENCES notification_deliveries(id),
        recipient_id varchar(32) NOT NULL,
        postal_address jsonb,
        link text NOT NULL,
        pdf bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        printed_at timestamptz
      );
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE letters; DROP TABLE dossier_status_outbox; DROP TABLE notification_deliveries;
      DROP TABLE notifications; DROP TABLE contact_preferences; DROP TABLE notification_templates;
    `);
  }
}
