/**
 * Compensation in the console (Chromium, the whole stack): a journey cancelled after two steps
 * completed undoes them; the municipality's caseworker does the compensation task from the inbox
 * like any task, and the counter's caseworker sees a failing undoing on the journey page and tries
 * it again. axe and 320 px on every page shown.
 */
import { randomUUID } from 'node:crypto';
import { checkPage, newPage, signIn } from '../support/browser';
import { pollUntil } from '../support/poll';
import { setBehaviour } from '../support/stack';
import { publishLifeEvent, publishStep, titles, undoableRegister } from './catalog';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
let f: BrowserFixture;
let lifeEvent: string;

beforeAll(async () => {
  f = await browserFixture('compensation');
  await publishStep(f, f.agencies.counter, undoableRegister(f, titles('Register the enterprise', 'Onderneming inschrijven')));
  await publishStep(f, f.agencies.municipality, { key: 'terrace-permit', kind: 'caseworker', titles: titles('Terrace permit', 'Terrasvergunning'), serviceNorm: { target: 'P30D' }, compensation: { task: {} } });
  lifeEvent = `undo-terrace-${f.run}`;
  await publishLifeEvent(f, lifeEvent, titles('Open a terrace', 'Een terras openen'), [
    { key: 'register', step: { agency: f.agencies.counter, key: 'undoable-register', version: 1 } },
    { key: 'permit', step: { agency: f.agencies.municipality, key: 'terrace-permit', version: 1 }, dependsOn: ['register'] },
    { key: 'account', step: { agency: f.agencies.bank, key: 'open-account', version: 1 }, dependsOn: ['permit'] },
  ]);
});

afterAll(async () => {
  await f?.stop();
});

test('the caseworkers undo a cancelled journey: a compensation task from the inbox, a failing undoing tried again from the journey page', async () => {
  const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: CITIZEN }));
  const municipality = f.stack.api.as(await f.stack.token({ role: 'caseworker', agency: f.agencies.municipality, sub: 'cw-muni' }));
  const started = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: CITIZEN } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  const step = async (key: string) => (await f.auditor.get(`/journeys/${id}`)).body.steps.find((s: any) => s.key === key);
  await pollUntil('the permit task open', async () => (await step('permit'))?.task?.status === 'open', { timeoutMs: 60_000 });
  expect((await municipality.post(`/tasks/${(await step('permit')).task.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  await pollUntil('the account waiting', async () => (await step('account'))?.status === 'waiting');
  // The counter's undoing fails until a caseworker looks at it.
  await setBehaviour(f.stack, f.agencies.counter, encodeURIComponent('undoable-register/compensate'), { failPermanently: true });
  expect((await citizen.post(`/journeys/${id}/cancel`, { reason: 'No terrace after all' })).status).toBe(200);

  const page = await newPage(f.browser);
  try {
    await signIn(page, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.municipality, name: 'An Peeters' });
    const link = page.getByRole('link', { name: 'Undo: Terrace permit' });
    await pollUntil('the compensation task in the inbox', async () => {
      await page.reload();
      return (await link.count()) > 0;
    }, { timeoutMs: 30_000 });
    await checkPage(page, 'compensation-inbox');
    await link.first().click();
    await page.getByRole('heading', { level: 1, name: 'Undo: Terrace permit' }).waitFor();
    await page.getByRole('button', { name: 'Take this task' }).click();
    await page.getByRole('button', { name: 'Give this task back' }).waitFor();
    await checkPage(page, 'compensation-task');
    await page.getByLabel('Undone', { exact: true }).check();
    await page.getByLabel('Comment').fill('Permit withdrawn in the register');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(`**/journeys/${id}`);
    await page.locator('tr[data-step="permit"]').getByText('Undone', { exact: true }).waitFor({ timeout: 15_000 });
    await checkPage(page, 'compensation-journey-compensating');
  } finally {
    await page.context().close();
  }

  const counter = await newPage(f.browser);
  try {
    await signIn(counter, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.counter }, `/journeys/${id}`);
    const row = counter.locator('tr[data-step="register"]');
    await row.getByText('Undoing failed: needs attention', { exact: false }).waitFor({ timeout: 30_000 });
    await checkPage(counter, 'compensation-needs-attention');
    await setBehaviour(f.stack, f.agencies.counter, encodeURIComponent('undoable-register/compensate'), null);
    await row.getByRole('button', { name: 'Try again' }).click();
    await row.getByText('Undone', { exact: true }).waitFor({ timeout: 30_000 });
    await counter.locator('.facts').getByText('Stopped', { exact: true }).waitFor({ timeout: 15_000 });
    await expect(counter.locator('.timeline').textContent()).resolves.toContain('Terrace permit was undone');
    await checkPage(counter, 'compensation-journey-cancelled');
  } finally {
    await counter.context().close();
  }
  const journey = (await f.auditor.get(`/journeys/${id}`)).body;
  expect(journey.status).toBe('cancelled');
  expect(journey.timeline.find((e: any) => e.type === 'journey.cancelled').detail).toMatchObject({ undone: ['permit', 'register'] });
});
