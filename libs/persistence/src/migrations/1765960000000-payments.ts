import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments of payment steps. `payments` maps the provider's payment to its journey and step (the
 * worker writes it when it creates the payment; the gateway reads it for the provider's webhooks);
 * `payment_events` keeps each webhook the gateway took, once per provider event id (the gateway's).
 */
export class Payments1765960000000 implements MigrationInterface {
  name = 'Payments1765960000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE payments (
        payment_id varchar(100) PRIMARY KEY,
        idempotency_key varchar(200) NOT NULL UNIQUE,
        journey_id uuid NOT NULL,
        node_key varchar(64) NOT NULL,
        attempt integer NOT NULL CHECK (attempt > 0),
        amount_cents integer NOT NULL CHECK (amount_cents > 0),
        currency char(3) NOT NULL DEFAULT 'EUR',
        checkout_url text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payments_journey ON payments (journey_id, node_key);
      CREATE TABLE payment_events (
        event_id varchar(200) PRIMARY KEY,
        payment_id varchar(100) NOT NULL,
        status varchar(20) NOT NULL,
        occurred_at timestamptz NOT NULL,
        signed_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payment_events_payment ON payment_events (payment_id);
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS payment_events; DROP TABLE IF EXISTS payments;`);
  }
}
