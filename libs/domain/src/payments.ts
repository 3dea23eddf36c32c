import type { StepState, Translations } from './model';
import { parseDuration, DURATION_RULE } from './durations';
import type { Problem } from './problem';
import { citizenFor, hasAnyRole, type Access, type Viewer } from './access';

/**
 * Payments (a permit fee): a `payment` step asks the citizen to pay an amount at the payment
 * provider's hosted page. Pure rules: the step's declaration, amounts in cents, which settlement
 * and which new link the workflow accepts, when the reminder is due, and where a payment stands
 * as the journey's timeline tells it (the read model keeps no column for it).
 */

/** What a payment step declares. */
export interface PaymentSpec {
  /** In euro, a decimal string with at most two decimals, e.g. "45.00" (no floating point anywhere). */
  amount: string;
  /** What the citizen pays for, per language (shown on the provider's page and in the messages). */
  purpose: Translations;
  /** How long a payment link stays valid (ISO-8601, e.g. P7D). */
  linkValidFor: string;
  /** When before the link expires the citizen is reminded, once (ISO-8601, shorter than linkValidFor). */
  reminderBefore: string;
}

export const PAYMENT_CURRENCY = 'EUR';
/** The largest fee a step may ask: 10,000 euro (a typo of a few zeros is refused). */
export const MAX_PAYMENT_CENTS = 1_000_000;
/** The longest a link may stay valid. */
export const MAX_LINK_VALID_MS = 90 * 86_400_000;
/** The shortest: a link the citizen cannot reasonably use is a mistake (tests use PT…S durations through the time-skipping server). */
export const MIN_LINK_VALID_MS = 60_000;
/** New links per payment step: beyond this a caseworker looks at it (a loop of failures is not a way to pay). */
export const MAX_PAYMENT_ATTEMPTS = 10;

const AMOUNT = /^(0|[1-9]\d{0,6})(\.\d{1,2})?$/;

/** The amount in cents, or undefined when it is not a decimal euro amount with at most two decimals. */
export function amountToCents(amount: unknown): number | undefined {
  if (typeof amount !== 'string' || !AMOUNT.test(amount)) return undefined;
  const [euros, decimals = ''] = amount.split('.');
  return Number(euros) * 100 + Number(decimals.padEnd(2, '0'));
}

/** Cents as the canonical amount text: 4500 → "45.00". */
export const centsToAmount = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const describe = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value);
const FIELDS = new Set(['amount', 'purpose', 'linkValidFor', 'reminderBefore']);
const SHAPE = '{ "amount": "45.00", "purpose": { "nl": "…", "fr": "…", "de": "…", "en": "…" }, "linkValidFor": "P7D", "reminderBefore": "P2D" }';

/** Problems of a step's `payment` (paths relative to the step): required on payment steps, refused on the others. */
export function validatePaymentSpec(payment: unknown, kind: unknown, checkPurpose: (texts: unknown, path: string, problems: Problem[]) => void): Problem[] {
  if (kind !== 'payment') {
    return payment === undefined ? [] : [{ path: '/payment', message: `only payment steps ask for a payment; a ${String(kind)} step must not declare one` }];
  }
  if (!isRecord(payment)) return [{ path: '/payment', message: `a payment step declares what is paid: ${SHAPE} (got ${describe(payment)})` }];
  const problems: Problem[] = [];
  for (const key of Object.keys(payment)) if (!FIELDS.has(key)) problems.push({ path: `/payment/${key}`, message: `a payment has amount, purpose, linkValidFor and reminderBefore; remove ${key}` });
  const cents = amountToCents(payment.amount);
  if (cents === undefined) {
    problems.push({ path: '/payment/amount', message: `amount must be euro as a decimal text with at most two decimals, e.g. "45.00" (got ${describe(payment.amount)})` });
  } else if (cents <= 0) {
    problems.push({ path: '/payment/amount', message: 'amount must be more than 0.00 euro' });
  } else if (cents > MAX_PAYMENT_CENTS) {
    problems.push({ path: '/payment/amount', message: `amount must be at most ${centsToAmount(MAX_PAYMENT_CENTS)} euro (got ${String(payment.amount)})` });
  }
  checkPurpose(payment.purpose, '/payment/purpose', problems);
  if (isRecord(payment.purpose)) {
    for (const lang of ['nl', 'fr', 'de', 'en']) {
      if (payment.purpose[lang] === undefined) problems.push({ path: `/payment/purpose/${lang}`, message: `the purpose is shown to the citizen on the payment page: give it in ${lang} too` });
    }
  }
  const valid = parseDuration(payment.linkValidFor);
  const reminder = parseDuration(payment.reminderBefore);
  if (valid === undefined) problems.push({ path: '/payment/linkValidFor', message: `linkValidFor must be ${DURATION_RULE} (got ${describe(payment.linkValidFor)})` });
  else if (valid < MIN_LINK_VALID_MS || valid > MAX_LINK_VALID_MS) problems.push({ path: '/payment/linkValidFor', message: `a payment link stays valid from one minute to 90 days (got ${String(payment.linkValidFor)})` });
  if (reminder === undefined) problems.push({ path: '/payment/reminderBefore', message: `reminderBefore must be ${DURATION_RULE} (got ${describe(payment.reminderBefore)})` });
  else if (valid !== undefined && reminder >= valid) {
    problems.push({ path: '/payment/reminderBefore', message: `the reminder (${String(payment.reminderBefore)} before expiry) must come after the link is sent: make it shorter than linkValidFor (${String(payment.linkValidFor)})` });
  }
  return problems;
}

export const PAYMENT_STATUSES = ['creating', 'open', 'paid', 'failed', 'expired', 'refunded', 'cancelled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
/** What the provider reports in a webhook. */
export const SETTLEMENT_STATUSES = ['paid', 'failed', 'expired'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

/** Where a payment step's current payment stands (the workflow's state; `attempt` counts links). */
export interface PaymentState {
  status: PaymentStatus;
  attempt: number;
  /** The provider's id of the current payment (set once it was created). */
  id?: string;
  amountCents: number;
  checkoutUrl?: string;
  expiresAt?: string;
  paidAt?: string;
  /** The reminder of the current link was sent. */
  reminded?: boolean;
  /** The citizen asked a new link after a failure or expiry (cleared when it was created). */
  renewRequested?: boolean;
}

export const PAYMENT_TIMELINE_TYPES = [
  'step.payment_requested',
  'step.payment_reminder',
  'step.payment_received',
  'step.payment_failed',
  'step.payment_expired',
  'step.payment_renewal_requested',
  'step.payment_refunded',
  'step.payment_cancelled',
] as const;
export type PaymentTimelineType = (typeof PAYMENT_TIMELINE_TYPES)[number];

/** Why the provider's settlement of a payment is refused by the journey (the webhook is then answered 409 and the provider tries again, or gives up). */
export function settlePaymentError(step: StepState | undefined, settlement: { nodeKey: string; paymentId: string; status: string }): string | undefined {
  if (!step || step.kind !== 'payment') return `Journey has no payment step '${settlement.nodeKey}'.`;
  if (!(SETTLEMENT_STATUSES as readonly string[]).includes(settlement.status)) return `A settlement is ${SETTLEMENT_STATUSES.join(', ')} (got ${settlement.status}).`;
  const payment = step.payment;
  if (!payment?.id) return `Step '${settlement.nodeKey}' has no payment under way yet; try again.`;
  return undefined;
}

/** What a settlement changes: nothing for another (older) payment, a settled one, or a step no longer waiting. */
export function settlementApplies(step: StepState, settlement: { paymentId: string; status: SettlementStatus }): boolean {
  const payment = step.payment;
  return !!payment && payment.id === settlement.paymentId && payment.status === 'open' && step.status === 'waiting';
}

/** Why a new payment link is refused: only after a failure or expiry, while the step still waits, a bounded number of times. */
export function renewPaymentError(step: StepState | undefined, nodeKey: string): string | undefined {
  if (!step || step.kind !== 'payment') return `Journey has no payment step '${nodeKey}'.`;
  const payment = step.payment;
  if (step.status !== 'waiting' || !payment) return `Step '${nodeKey}' is not waiting for a payment (it is ${step.status}).`;
  if (payment.status === 'open' || payment.status === 'creating') return 'The payment link is still valid: pay with it, or wait until it expires.';
  if (payment.status !== 'failed' && payment.status !== 'expired') return `The payment is ${payment.status}; there is nothing to pay again.`;
  if (payment.renewRequested) return 'A new payment link was asked already; it is on its way.';
  if (payment.attempt >= MAX_PAYMENT_ATTEMPTS) return `A payment step gives at most ${MAX_PAYMENT_ATTEMPTS} links; ask the agency for help.`;
  return undefined;
}

/** When to remind of a link: `reminderBefore` before it expires, never before it was sent. */
export function paymentReminderAt(sentAt: string, expiresAt: string, reminderBefore: string): string | undefined {
  const before = parseDuration(reminderBefore);
  if (before === undefined) return undefined;
  const at = Date.parse(expiresAt) - before;
  return at > Date.parse(sentAt) ? new Date(at).toISOString() : undefined;
}

/** A payment as the API shows it: the link only while it can be used. */
export interface PaymentView {
  status: PaymentStatus;
  amount: string;
  currency: string;
  purpose?: Translations;
  attempt: number;
  checkoutUrl?: string;
  expiresAt?: string;
  paidAt?: string;
  refundedAt?: string;
}

/** Where each payment step stands, from the journey's timeline (its `step.payment_*` events, in order). */
export function paymentsFromTimeline(
  events: ReadonlyArray<{ type: string; at?: string | Date; step?: string | null; detail?: Record<string, unknown> | null }>,
): Record<string, PaymentView> {
  const found: Record<string, PaymentView> = {};
  for (const e of events) {
    if (!e.step || !e.type.startsWith('step.payment_')) continue;
    const d = e.detail ?? {};
    const at = e.at === undefined ? undefined : new Date(e.at).toISOString();
    if (e.type === 'step.payment_requested') {
      found[e.step] = {
        status: 'open',
        amount: typeof d.amount === 'string' ? d.amount : '',
        currency: typeof d.currency === 'string' ? d.currency : PAYMENT_CURRENCY,
        ...(isRecord(d.purpose) ? { purpose: d.purpose as Translations } : {}),
        attempt: typeof d.attempt === 'number' ? d.attempt : 1,
        ...(typeof d.checkoutUrl === 'string' ? { checkoutUrl: d.checkoutUrl } : {}),
        ...(typeof d.expiresAt === 'string' ? { expiresAt: d.expiresAt } : {}),
      };
      continue;
    }
    const view = found[e.step];
    if (!view) continue;
    if (e.type === 'step.payment_received') Object.assign(view, { status: 'paid', ...(at ? { paidAt: at } : {}) });
    else if (e.type === 'step.payment_failed') view.status = 'failed';
    else if (e.type === 'step.payment_expired') view.status = 'expired';
    else if (e.type === 'step.payment_refunded') Object.assign(view, { status: 'refunded', ...(at ? { refundedAt: at } : {}) });
    else if (e.type === 'step.payment_cancelled') view.status = 'cancelled';
    // The link is shown only while it can be used.
    if (view.status !== 'open') delete view.checkoutUrl;
  }
  return found;
}

/** Who may ask a new payment link: the subject, or whoever holds a mandate to act for them in this life event. */
export function paymentRenewalAccess(v: Viewer, journey: { subjectId: string; lifeEvent: string }): Access<'subject' | 'representative'> {
  if (!hasAnyRole(v, 'citizen')) return { kind: 'deny', refusal: { kind: 'forbidden', message: 'Only the person who pays, or whoever acts for them, may ask a new payment link.' } };
  const refusal = { kind: 'forbidden' as const, message: 'A new payment link needs a mandate to act for this person in this life event (a read-only mandate is not enough).' };
  const access = citizenFor(v, journey.subjectId, { lifeEvent: journey.lifeEvent, access: 'act' }, { self: 'subject', mandate: 'representative' });
  return access.kind === 'mandate' ? { ...access, refusal } : access;
}
