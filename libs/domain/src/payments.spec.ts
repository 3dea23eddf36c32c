import { validateStepDefinition } from './validation';
import type { ServiceStepDefinition, StepState } from './model';
import { amountToCents, centsToAmount, paymentReminderAt, paymentRenewalAccess, paymentsFromTimeline, renewPaymentError, settlementApplies, settlePaymentError, validatePaymentSpec } from './payments';
import { stepsToCompensate, compensationWay } from './compensation';
import { openTaskOf } from './tasks';
import { completeTaskError } from './journey-updates';

const purpose = { nl: 'Omgevingsvergunning', fr: "Permis d'environnement", de: 'Umgebungsgenehmigung', en: 'Environment permit' };
const payment = { amount: '45.00', purpose, linkValidFor: 'P7D', reminderBefore: 'P2D' };
const step = (over: Partial<ServiceStepDefinition> = {}): ServiceStepDefinition => ({
  agency: 'leuven',
  key: 'permit-fee',
  kind: 'payment',
  titles: { nl: 'Retributie betalen', en: 'Pay the fee' },
  serviceNorm: { target: 'P14D' },
  payment,
  ...over,
});
const paths = (def: ServiceStepDefinition) => validateStepDefinition(def).map((p) => p.path);
const waiting = (over: Partial<StepState> = {}): StepState => ({
  key: 'fee',
  agency: 'leuven',
  kind: 'payment',
  status: 'waiting',
  waitingFor: 'payment',
  attempts: 0,
  payment: { status: 'open', attempt: 1, id: 'tr_1', amountCents: 4500, checkoutUrl: 'https://psp/pay/tr_1', expiresAt: '2026-12-10T10:00:00.000Z' },
  ...over,
});

describe('a payment step', () => {
  it('reads euro amounts as cents, without floating point', () => {
    expect(amountToCents('45')).toBe(4500);
    expect(amountToCents('45.5')).toBe(4550);
    expect(amountToCents('0.07')).toBe(7);
    expect(amountToCents('10000.00')).toBe(1_000_000);
    for (const bad of ['45,00', '-1', '1.234', '', '01.00', 45, null, '1e3']) expect(amountToCents(bad)).toBeUndefined();
    expect(centsToAmount(4500)).toBe('45.00');
    expect(centsToAmount(7)).toBe('0.07');
  });

  it('declares its amount, purpose in four languages, link validity and reminder', () => {
    expect(validateStepDefinition(step())).toEqual([]);
    expect(paths(step({ payment: undefined }))).toEqual(['/payment']);
    expect(paths(step({ payment: { ...payment, amount: '0.00' } }))).toEqual(['/payment/amount']);
    expect(paths(step({ payment: { ...payment, amount: '10000.01' } }))).toEqual(['/payment/amount']);
    expect(paths(step({ payment: { ...payment, amount: '45,00' } }))).toEqual(['/payment/amount']);
    expect(paths(step({ payment: { ...payment, purpose: { nl: 'Retributie' } } }))).toEqual(['/payment/purpose/fr', '/payment/purpose/de', '/payment/purpose/en']);
    expect(paths(step({ payment: { ...payment, linkValidFor: 'P100D' } }))).toEqual(['/payment/linkValidFor']);
    expect(paths(step({ payment: { ...payment, linkValidFor: 'PT10S', reminderBefore: 'PT5S' } }))).toEqual(['/payment/linkValidFor']);
    expect(paths(step({ payment: { ...payment, reminderBefore: 'P7D' } }))).toEqual(['/payment/reminderBefore']);
    expect(paths(step({ payment: { ...payment, reminderBefore: 'soon' } }))).toEqual(['/payment/reminderBefore']);
    expect(paths(step({ payment: { ...payment, currency: 'USD' } as never }))).toEqual(['/payment/currency']);
    expect(validatePaymentSpec(payment, 'payment', () => undefined).map((p) => p.message)).toEqual([]);
  });

  it('is refused on other kinds, and a payment step takes no endpoint', () => {
    expect(paths(step({ kind: 'caseworker' }))).toEqual(['/payment']);
    expect(paths(step({ endpoint: 'https://x.example/api' }))).toEqual(['/endpoint']);
  });

  it('is undone by a refund by default, once it was paid', () => {
    expect(compensationWay(undefined, 'payment')).toBe('refund');
    expect(compensationWay(undefined, 'automatic')).toBeUndefined();
    expect(compensationWay({ endpoint: 'https://x' }, 'payment')).toBe('endpoint');
    const snapshot = { key: 'l', version: 1, audience: 'citizen' as const, titles: { nl: 'L' }, nodes: [{ key: 'fee', step: { agency: 'leuven', key: 'permit-fee', version: 1 }, definition: { ...step(), version: 1 } }] };
    expect(stepsToCompensate(snapshot, { fee: waiting({ status: 'completed', completedAt: '2026-12-01T00:00:00Z' }) })).toEqual(['fee']);
    expect(stepsToCompensate(snapshot, { fee: waiting() })).toEqual([]);
    // Cancelled while its link was open: the link is withdrawn (the same way: refund, which withdraws an open one).
    expect(stepsToCompensate(snapshot, { fee: waiting({ status: 'cancelled', completedAt: '2026-12-01T00:00:00Z' }) })).toEqual(['fee']);
    expect(stepsToCompensate(snapshot, { fee: waiting({ status: 'cancelled', payment: { status: 'expired', attempt: 1, amountCents: 4500 } }) })).toEqual([]);
  });

  it('opens no task while it waits (the link is on the journey), and no task completes it', () => {
    expect(openTaskOf('j1', waiting())).toBeUndefined();
    expect(completeTaskError({ fee: waiting() }, { nodeKey: 'fee', purpose: 'payment' as never, outcome: 'approve', by: 'x' })).toMatch(/is a payment/);
    expect(completeTaskError({ fee: waiting() }, { nodeKey: 'fee', outcome: 'approve', by: 'x' })).toMatch(/is a payment/);
  });

  it('takes a settlement of its open payment once; another payment or a settled one changes nothing', () => {
    const s = waiting();
    expect(settlePaymentError(s, { nodeKey: 'fee', paymentId: 'tr_1', status: 'paid' })).toBeUndefined();
    expect(settlePaymentError(undefined, { nodeKey: 'x', paymentId: 'tr_1', status: 'paid' })).toMatch(/no payment step/);
    expect(settlePaymentError(s, { nodeKey: 'fee', paymentId: 'tr_1', status: 'refunded' })).toMatch(/paid, failed, expired/);
    expect(settlePaymentError(waiting({ payment: { status: 'creating', attempt: 1, amountCents: 4500 } }), { nodeKey: 'fee', paymentId: 'tr_1', status: 'paid' })).toMatch(/try again/);
    expect(settlementApplies(s, { paymentId: 'tr_1', status: 'paid' })).toBe(true);
    expect(settlementApplies(s, { paymentId: 'tr_0', status: 'paid' })).toBe(false);
    expect(settlementApplies(waiting({ payment: { ...s.payment!, status: 'paid' } }), { paymentId: 'tr_1', status: 'paid' })).toBe(false);
    expect(settlementApplies(waiting({ status: 'cancelled' }), { paymentId: 'tr_1', status: 'paid' })).toBe(false);
  });

  it('gives a new link only after a failure or expiry, once per failure, at most ten', () => {
    expect(renewPaymentError(waiting(), 'fee')).toMatch(/still valid/);
    expect(renewPaymentError(waiting({ payment: { ...waiting().payment!, status: 'failed' } }), 'fee')).toBeUndefined();
    expect(renewPaymentError(waiting({ payment: { ...waiting().payment!, status: 'expired' } }), 'fee')).toBeUndefined();
    expect(renewPaymentError(waiting({ payment: { ...waiting().payment!, status: 'expired', renewRequested: true } }), 'fee')).toMatch(/asked already/);
    expect(renewPaymentError(waiting({ payment: { ...waiting().payment!, status: 'failed', attempt: 10 } }), 'fee')).toMatch(/at most 10/);
    expect(renewPaymentError(waiting({ status: 'completed', payment: { ...waiting().payment!, status: 'paid' } }), 'fee')).toMatch(/not waiting/);
    expect(renewPaymentError({ ...waiting(), kind: 'citizen' }, 'fee')).toMatch(/no payment step/);
  });

  it('reminds reminderBefore the expiry, never before the link was sent', () => {
    expect(paymentReminderAt('2026-12-01T10:00:00.000Z', '2026-12-08T10:00:00.000Z', 'P2D')).toBe('2026-12-06T10:00:00.000Z');
    expect(paymentReminderAt('2026-12-07T10:00:00.000Z', '2026-12-08T10:00:00.000Z', 'P2D')).toBeUndefined();
  });

  it('may be renewed by the subject or a holder of an acting mandate, not by others', () => {
    expect(paymentRenewalAccess({ roles: ['citizen'], nationalNumber: '85073003328' } as never, { subjectId: '85073003328', lifeEvent: 'l' })).toEqual({ kind: 'allow', as: 'subject' });
    expect(paymentRenewalAccess({ roles: ['caseworker'], agency: 'leuven' } as never, { subjectId: '85073003328', lifeEvent: 'l' }).kind).toBe('deny');
    const other = paymentRenewalAccess({ roles: ['citizen'], nationalNumber: '90010100123' } as never, { subjectId: '85073003328', lifeEvent: 'l' });
    expect(other.kind).toBe('mandate');
  });

  it('stands where its timeline says, the link shown only while open', () => {
    const requested = { type: 'step.payment_requested', step: 'fee', at: '2026-12-01T10:00:00.000Z', detail: { amount: '45.00', currency: 'EUR', purpose, checkoutUrl: 'https://psp/pay/tr_1', expiresAt: '2026-12-08T10:00:00.000Z', attempt: 1 } };
    expect(paymentsFromTimeline([requested])).toEqual({ fee: { status: 'open', amount: '45.00', currency: 'EUR', purpose, attempt: 1, checkoutUrl: 'https://psp/pay/tr_1', expiresAt: '2026-12-08T10:00:00.000Z' } });
    const paid = paymentsFromTimeline([requested, { type: 'step.payment_received', step: 'fee', at: '2026-12-02T10:00:00.000Z', detail: {} }]);
    expect(paid.fee).toMatchObject({ status: 'paid', paidAt: '2026-12-02T10:00:00.000Z' });
    expect(paid.fee.checkoutUrl).toBeUndefined();
    const again = paymentsFromTimeline([requested, { type: 'step.payment_expired', step: 'fee', detail: {} }, { ...requested, detail: { ...requested.detail, attempt: 2, checkoutUrl: 'https://psp/pay/tr_2' } }]);
    expect(again.fee).toMatchObject({ status: 'open', attempt: 2, checkoutUrl: 'https://psp/pay/tr_2' });
    expect(paymentsFromTimeline([{ type: 'step.payment_refunded', step: 'fee' }])).toEqual({});
  });
});
