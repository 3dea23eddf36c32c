/**
 * A payment step's timers over days, on Temporal's time-skipping test server (real workflow code,
 * a worker in this process, real PostgreSQL for the read model; the provider's two calls stubbed):
 * the reminder comes once, `reminderBefore` the link expires; an expired link waits for the
 * citizen's request, and the new link is reminded in its turn; a settlement delivered twice (same
 * event id, the update's id) settles once; the paid step completes and the next one starts.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { journeyStateQuery, renewPaymentUpdate, settlePaymentUpdate, type CreatePaymentInput, type JourneyActivities } from '@levensloop/contracts/workflow';
import { durationToMs, type TimelineEvent } from '@levensloop/domain';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { snapshot, step } from '../support/snapshots';
import { createTimeSkippingEnvironment } from '../support/time-skipping';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let w: JourneyWorker;
const created: CreatePaymentInput[] = [];

beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
  w = await startJourneyWorker('payment-time-skipping', {
    temporal: { nativeConnection: env.nativeConnection, client: env.client },
    // The provider: one payment per idempotency key, valid for linkValidFor from the (skipped) clock.
    wrap: (real) =>
      ({
        ...real,
        createPayment: async (input: CreatePaymentInput) => {
          created.push(input);
          const now = await env.currentTimeMs();
          return { paymentId: `tr_${input.attempt}`, checkoutUrl: `https://psp.example/pay/tr_${input.attempt}`, expiresAt: new Date(now + durationToMs(input.linkValidFor)).toISOString(), status: 'open' };
        },
        refundPayment: async () => ({ refundId: 're_1', status: 'refunded' }),
      }) as JourneyActivities,
  });
});

afterAll(async () => {
  await w?.close();
  await env?.teardown();
});

const stateOf = async (handle: WorkflowHandle) => handle.query(journeyStateQuery);
const ofType = (timeline: TimelineEvent[], type: string) => timeline.filter((e) => e.type === type);
const purpose = { nl: 'Retributie', fr: 'Redevance', de: 'Gebühr', en: 'Fee' };

test('reminded once before the link expires; expired, renewed, reminded again; paid once whatever is delivered twice', async () => {
  const fee = step('fee', 'caseworker', { norm: { target: 'P30D' } });
  fee.definition = { ...fee.definition, kind: 'payment', payment: { amount: '45.00', purpose, linkValidFor: 'P7D', reminderBefore: 'P2D' } };
  const snap = snapshot(`it-skip-pay-${Date.now()}`, [fee, step('permit', 'caseworker', { dependsOn: ['fee'] })]);
  const { journeyId, handle } = await w.startJourney(snap, {});
  await w.waitForStep(handle, 'fee', 'waiting');
  let state = await stateOf(handle);
  const [requested] = ofType(state.timeline, 'step.payment_requested');
  expect(requested.detail).toMatchObject({ paymentId: 'tr_1', amount: '45.00', currency: 'EUR', attempt: 1, checkoutUrl: 'https://psp.example/pay/tr_1' });
  expect(created[0]).toMatchObject({ journeyId, nodeKey: 'fee', idempotencyKey: `${journeyId}/fee/payment-1`, amountCents: 4500 });

  // Day 6: the reminder came at day 5 (two days before the link expires), once.
  await env.sleep(durationToMs('P6D'));
  state = await stateOf(handle);
  const reminders = ofType(state.timeline, 'step.payment_reminder');
  expect(reminders).toHaveLength(1);
  expect(Math.abs(Date.parse(reminders[0].at) - Date.parse(requested.at) - durationToMs('P5D'))).toBeLessThan(60_000);

  // The provider expires the link at day 7 (its webhook, delivered twice under one event id).
  for (let i = 0; i < 2; i++) {
    await handle.executeUpdate(settlePaymentUpdate, { args: [{ nodeKey: 'fee', paymentId: 'tr_1', status: 'expired', eventId: 'evt_exp_1', at: new Date().toISOString() }], updateId: 'evt_exp_1' });
  }
  // A late webhook of the expired payment after another event changes nothing either.
  await handle.executeUpdate(settlePaymentUpdate, { args: [{ nodeKey: 'fee', paymentId: 'tr_1', status: 'paid', eventId: 'evt_late', at: new Date().toISOString() }], updateId: 'evt_late' });
  state = await stateOf(handle);
  expect(ofType(state.timeline, 'step.payment_expired')).toHaveLength(1);
  expect(ofType(state.timeline, 'step.payment_received')).toHaveLength(0);
  expect(state.steps.find((s) => s.key === 'fee')).toMatchObject({ status: 'waiting', payment: { status: 'expired', attempt: 1 } });

  // Nothing happens until the citizen asks a new link (no new payment by itself).
  await env.sleep(durationToMs('P3D'));
  expect(created).toHaveLength(1);
  await handle.executeUpdate(renewPaymentUpdate, { args: [{ nodeKey: 'fee', by: 'citizen-1' }] });
  await expect(handle.executeUpdate(renewPaymentUpdate, { args: [{ nodeKey: 'fee', by: 'citizen-1' }] })).rejects.toThrow();
  await w.waitForStep(handle, 'fee', 'waiting');
  const second = await (async () => {
    for (let i = 0; i < 50; i++) {
      const s = await stateOf(handle);
      if (s.steps.find((x) => x.key === 'fee')?.payment?.status === 'open') return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the second link did not open');
  })();
  expect(second.steps.find((s) => s.key === 'fee')!.payment).toMatchObject({ attempt: 2, id: 'tr_2' });
  expect(created[1]).toMatchObject({ idempotencyKey: `${journeyId}/fee/payment-2`, attempt: 2 });

  // Its own reminder, five days on.
  await env.sleep(durationToMs('P5D') + 60_000);
  state = await stateOf(handle);
  expect(ofType(state.timeline, 'step.payment_reminder')).toHaveLength(2);

  for (let i = 0; i < 2; i++) {
    await handle.executeUpdate(settlePaymentUpdate, { args: [{ nodeKey: 'fee', paymentId: 'tr_2', status: 'paid', eventId: 'evt_paid_2', at: new Date().toISOString() }], updateId: 'evt_paid_2' });
  }
  await w.waitForStep(handle, 'permit', 'waiting');
  state = await stateOf(handle);
  expect(ofType(state.timeline, 'step.payment_received')).toHaveLength(1);
  expect(state.steps.find((s) => s.key === 'fee')).toMatchObject({ status: 'completed', outcome: { result: 'done', data: { paymentId: 'tr_2', amount: '45.00', currency: 'EUR' } } });
  await handle.terminate('test done');
});
