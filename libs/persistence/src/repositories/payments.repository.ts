import type { Db } from './db';

/** A payment as the worker recorded it when the provider created it. */
export interface PaymentRow {
  paymentId: string;
  journeyId: string;
  nodeKey: string;
  attempt: number;
  amountCents: number;
  currency: string;
  checkoutUrl: string;
  expiresAt: string;
}

/** A verified webhook of the provider, as the gateway keeps it. */
export interface PaymentEventRow {
  eventId: string;
  paymentId: string;
  status: string;
  occurredAt: string;
  signedAt: Date;
}

interface RawPayment {
  payment_id: string;
  journey_id: string;
  node_key: string;
  attempt: number;
  amount_cents: number;
  currency: string;
  checkout_url: string;
  expires_at: Date;
}

const toRow = (r: RawPayment): PaymentRow => ({
  paymentId: r.payment_id,
  journeyId: r.journey_id,
  nodeKey: r.node_key,
  attempt: r.attempt,
  amountCents: r.amount_cents,
  currency: r.currency.trim(),
  checkoutUrl: r.checkout_url,
  expiresAt: new Date(r.expires_at).toISOString(),
});

/**
 * `payments` (the worker's: written when the provider created a payment, once per idempotency key)
 * and `payment_events` (the gateway's: each provider webhook once, by its event id). The gateway
 * finds a webhook's journey and step here.
 */
export class Payments {
  constructor(private readonly db: Db) {}

  /** Records a created payment; the same key again (a retried activity) changes nothing. */
  async record(p: PaymentRow & { idempotencyKey: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO payments (payment_id, idempotency_key, journey_id, node_key, attempt, amount_cents, currency, checkout_url, expires_at)
       VALUES ($1, $2, $3::uuid, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING`,
      [p.paymentId, p.idempotencyKey, p.journeyId, p.nodeKey, p.attempt, p.amountCents, p.currency, p.checkoutUrl, p.expiresAt],
    );
  }

  /** The payment the provider names, or undefined when no journey created it. */
  async find(paymentId: string): Promise<PaymentRow | undefined> {
    const rows: RawPayment[] = await this.db.query(
      `SELECT payment_id, journey_id, node_key, attempt, amount_cents, currency, checkout_url, expires_at FROM payments WHERE payment_id = $1`,
      [paymentId],
    );
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  /** Keeps a webhook once: false when its event id was received before. */
  async receiveEvent(e: PaymentEventRow): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO payment_events (event_id, payment_id, status, occurred_at, signed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [e.eventId, e.paymentId, e.status, e.occurredAt, e.signedAt],
    );
    return rows.length > 0;
  }

  /** The webhooks received for a payment, oldest first. */
  async eventsOf(paymentId: string): Promise<Array<{ eventId: string; status: string }>> {
    const rows: Array<{ event_id: string; status: string }> = await this.db.query(`SELECT event_id, status FROM payment_events WHERE payment_id = $1 ORDER BY received_at, event_id`, [paymentId]);
    return rows.map((r) => ({ eventId: r.event_id, status: r.status }));
  }
}
