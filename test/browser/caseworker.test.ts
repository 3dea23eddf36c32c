/**
 * The console in Chromium against the whole stack: a caseworker finds a journey, claims and
 * completes the licence task and sees the journey advance without reloading the page; skips a
 * step that needs attention; overrides an automatic decision of a birth journey with a reason,
 * and sees which agency read which data for it, why and when.
 */
import type { Page } from 'playwright-core';
import { applyExampleCatalog } from '../support/catalog';
import { checkPage, newPage, signIn, tabTo } from '../support/browser';
import { pollUntil } from '../support/poll';
import { setBehaviour } from '../support/stack';
import { randomUUID } from 'node:crypto';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
let f: BrowserFixture;
let page: Page;
let journeyId: string;

beforeAll(async () => {
  f = await browserFixture('caseworker');
  journeyId = await f.startJourney(CITIZEN);
  page = await newPage(f.browser);
});

afterAll(async () => {
  await f?.stop();
});

const stepRow = (key: string) => page.locator(`tr[data-step="${key}"]`);

test('a caseworker finds the journey, claims and completes the task, and sees the journey advance live', async () => {
  await signIn(page, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.municipality, name: 'An Peeters' });
  await checkPage(page, 'caseworker-tasks');

  // Find the journey by the person it is about.
  await page.getByRole('link', { name: 'Journeys' }).click();
  await page.getByLabel('Person or enterprise').fill(CITIZEN);
  await page.getByLabel('Only overdue').check();
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('No journeys match this search.').waitFor();
  await page.getByLabel('Only overdue').uncheck();
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator(`tr[data-journey="${journeyId}"]`).waitFor();
  expect(new URL(page.url()).searchParams.get('subject')).toBe(CITIZEN);
  await checkPage(page, 'caseworker-journey-list');

  await page.locator(`tr[data-journey="${journeyId}"] a`).click();
  await page.getByRole('heading', { level: 1, name: 'Start a business' }).waitFor();
  await expect(stepRow('permit').textContent()).resolves.toContain('Waiting for someone');
  await expect(page.locator('svg.graph').getAttribute('role')).resolves.toBe('img');
  expect(await page.locator('svg.graph g.graph-node').count()).toBe(3);
  await checkPage(page, 'caseworker-journey-detail');

  // A marker that a reload would wipe: the page must update in place.
  await page.evaluate(() => ((globalThis as any).__notReloaded = true));
  // The citizen opens the account meanwhile (over the API): the page shows it without reloading.
  const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: CITIZEN }));
  const accountTask = (await citizen.get('/tasks')).body.items.find((t: any) => t.journeyId === journeyId && t.step === 'account');
  expect((await citizen.post(`/tasks/${accountTask.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  await stepRow('account').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
  await page.getByRole('status').filter({ hasText: 'Open a business account: Done.' }).waitFor();

  await stepRow('permit').getByRole('link', { name: 'Open the task' }).click();
  await page.getByRole('heading', { level: 1, name: 'Licence to serve alcohol' }).waitFor();
  await checkPage(page, 'caseworker-task-open');
  await page.getByRole('button', { name: 'Take this task' }).click();
  await page.getByRole('button', { name: 'Give this task back' }).waitFor();
  // Refusing without a reason: the API's problem is shown at the comment field.
  await page.getByLabel('Refuse').check();
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#comment-error').textContent()).resolves.toContain('comment');
  await expect(page.locator('#comment').getAttribute('aria-invalid')).resolves.toBe('true');
  await checkPage(page, 'caseworker-task-error');
  await page.getByLabel('Approve').check();
  await page.getByLabel('Comment').fill('Licence granted: premises checked.');
  await page.getByRole('button', { name: 'Send' }).click();

  // Back on the journey, which finishes on its own.
  await page.waitForURL(`**/journeys/${journeyId}`);
  await stepRow('permit').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
  await page.locator('.facts').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
  expect(await page.evaluate(() => (globalThis as any).__notReloaded)).toBe(true);
  await expect(page.locator('.timeline').textContent()).resolves.toContain('The journey is finished');
  await checkPage(page, 'caseworker-journey-done');

  // The dashboard counts the finished journey.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.locator('#by-status-caption').waitFor();
  await expect(page.locator('#by-status-desc').textContent()).resolves.toContain('Done: 1');
  await page.locator('#throughput-caption').waitFor();
  expect(await page.locator('figure.chart').count()).toBe(5);
  await checkPage(page, 'caseworker-dashboard');

  const journey = (await f.auditor.get(`/journeys/${journeyId}`)).body;
  expect(journey.status).toBe('completed');
  expect(journey.steps.find((s: any) => s.key === 'permit').outcome).toMatchObject({ result: 'approved', comment: 'Licence granted: premises checked.' });
});

test('the whole task flow works with the keyboard alone', async () => {
  const id = await f.startJourney('90010100123');
  const kb = await newPage(f.browser, { width: 1024, height: 800 });
  try {
    await kb.goto(`${f.stack.consoleUrl}/sign-in`);
    await kb.getByRole('heading', { level: 1 }).waitFor();
    await tabTo(kb, (el) => el.id === 'role-caseworker');
    await kb.keyboard.press('Space');
    await tabTo(kb, (el) => el.id === 'agency');
    await kb.keyboard.type(f.agencies.municipality);
    await tabTo(kb, (el) => el.tag === 'button' && el.text === 'Sign in');
    await kb.keyboard.press('Enter');
    await kb.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();

    const taskId = `${id}.permit`;
    const claim = kb.locator(`li[data-task="${taskId}"]`).getByRole('button', { name: /Take this task/ });
    await claim.waitFor();
    await tabTo(kb, (el) => el.tag === 'a' && el.href === `/tasks/${encodeURIComponent(taskId)}`, 80);
    await kb.keyboard.press('Enter');
    await kb.waitForURL(`**/tasks/${encodeURIComponent(taskId)}`);
    await kb.getByRole('heading', { level: 1, name: 'Licence to serve alcohol' }).waitFor();
    // Focus moved to the page's heading: the page change was announced.
    await pollUntil('focus on the heading', async () => (await kb.evaluate(() => (globalThis as any).document.activeElement?.id)) === 'page-title');
    await tabTo(kb, (el) => el.tag === 'button' && el.text === 'Take this task');
    await kb.keyboard.press('Enter');
    await kb.getByRole('button', { name: 'Give this task back' }).waitFor();
    await tabTo(kb, (el) => el.id === 'outcome-approve');
    await kb.keyboard.press('Space');
    await tabTo(kb, (el) => el.id === 'comment');
    await kb.keyboard.type('Approved with the keyboard');
    await tabTo(kb, (el) => el.tag === 'button' && el.text === 'Send');
    await kb.keyboard.press('Enter');
    await kb.waitForURL(`**/journeys/${id}`);
    await kb.locator('tr[data-step="permit"]').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
  } finally {
    await kb.context().close();
  }
});

test('a step that needs attention is skipped with a reason, and the journey goes on', async () => {
  await setBehaviour(f.stack, f.agencies.counter, 'register-enterprise', { failPermanently: true });
  const subject = '70010100155';
  const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: subject }));
  const started = await citizen.post('/journeys', { lifeEvent: { key: f.lifeEvent }, subject: { type: 'person', id: subject } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const id = started.body.id;
  await pollUntil('the register step to need attention', async () => (await f.auditor.get(`/journeys/${id}`)).body.steps.find((s: any) => s.key === 'register').status === 'needs_attention', { timeoutMs: 60_000 });

  const cw = await newPage(f.browser);
  try {
    await signIn(cw, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.counter }, `/journeys/${id}`);
    const row = cw.locator('tr[data-step="register"]');
    await row.getByText('Needs attention', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Try again' }).waitFor();
    await checkPage(cw, 'caseworker-needs-attention');
    await row.getByRole('button', { name: 'Skip' }).click();
    await row.getByLabel('Why skip this step?').fill('Registered at the counter by hand');
    await row.getByRole('button', { name: 'Skip the step' }).click();
    await row.getByText('Not needed', { exact: true }).waitFor({ timeout: 15_000 });
    // The journey goes on: the licence now waits for the municipality.
    await cw.locator('tr[data-step="permit"]').getByText('Waiting for someone', { exact: true }).waitFor({ timeout: 15_000 });
    const journey = (await f.auditor.get(`/journeys/${id}`)).body;
    expect(journey.steps.find((s: any) => s.key === 'register').status).toBe('skipped');
    expect(journey.timeline).toContainEqual(expect.objectContaining({ type: 'step.skipped', step: 'register', detail: expect.objectContaining({ reason: 'Registered at the counter by hand' }) }));
    await cw.locator('.timeline').getByText('(Registered at the counter by hand)').waitFor();
  } finally {
    await setBehaviour(f.stack, f.agencies.counter, 'register-enterprise', null);
    await cw.context().close();
  }
});

test('a caseworker of the deciding agency overrides a decision with a reason (audited), and sees who read which data for the journey, why and when', async () => {
  // The example catalog (birth of a child), as npm start applies it, with its endpoints in this test's sandbox.
  await applyExampleCatalog(f.db.url, f.stack.sandboxUrl);
  // A family in Brussels: the register reports the birth, the engine starts the journey and denies the Flemish birth grant.
  const examples = (await (await fetch(`${f.stack.sandboxUrl}/_sandbox/population/examples`)).json()) as { brusselsCouple: { parents: string[] } };
  const birth = await fetch(`${f.stack.sandboxUrl}/_sandbox/events/births`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parents: examples.brusselsCouple.parents }) });
  expect(birth.status).toBeLessThan(300);
  const child: string = ((await birth.json()) as any).event.data.child.nationalNumber;
  const journey = await pollUntil('the birth journey', async () => (await f.auditor.get(`/journeys?subject=${child}&lifeEvent=birth-of-a-child`)).body.items?.[0]);
  await pollUntil('the birth grant decided', async () => (await f.auditor.get(`/journeys/${journey.id}`)).body.steps.find((s: any) => s.key === 'birth-grant')?.status === 'completed' || undefined, { timeoutMs: 60_000 });

  const cw = await newPage(f.browser);
  try {
    await signIn(cw, f.stack.consoleUrl, { role: 'caseworker', agency: 'growth-package', name: 'Griet Claes' }, `/journeys/${journey.id}`);
    await cw.getByRole('heading', { level: 1, name: 'Birth of a child' }).waitFor();
    const card = cw.locator('article[data-decision="birth-grant"]');
    await card.getByRole('heading', { name: 'Birth grant: refused' }).waitFor();

    // Who read which data for this journey: the agency, the step, the fields and their source, why, on what basis, when.
    const access = cw.locator('ul.data-access');
    await access.locator('li').first().waitFor();
    const reads = (await access.locator('li').allTextContents()).filter((text) => text.includes('Growth package payment agency, for Birth grant') && text.includes('Region'));
    // The agency's read for the decision, with its purpose and legal basis (the list also holds this
    // caseworker's own reading of the decision's inputs, once the page has asked for them).
    const forDecision = reads.find((text) => text.includes('Check that the child lives in the Flemish Region'));
    expect(forDecision).toContain('Decreet Groeipakket van 27 april 2018, art. 7');
    expect(await access.locator('li time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    await card.getByRole('button', { name: 'Change this decision Birth grant' }).click();
    const reason = card.getByLabel('Why (required)');
    await reason.waitFor();
    await checkPage(cw, 'caseworker-decision-override');
    // Without a reason the API refuses, and says so at the field.
    await card.getByRole('button', { name: 'Change the decision' }).click();
    const error = cw.locator('#override-birth-grant-reason-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/reason/);
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(cw.evaluate(() => (globalThis as any).document.activeElement?.id)).resolves.toBe('override-birth-grant-reason');
    await checkPage(cw, 'caseworker-decision-override-error');

    const why = 'The family moved to Ghent before the birth; the register is being corrected.';
    await reason.fill(why);
    await card.getByRole('button', { name: 'Change the decision' }).click();
    await card.getByRole('heading', { name: 'Birth grant: granted' }).waitFor();
    await cw.getByRole('status').filter({ hasText: 'The decision on Birth grant is now: granted.' }).waitFor();
    // The record of the change, and the journey's timeline.
    const record = card.locator('.override-record');
    await expect(record.textContent()).resolves.toMatch(/^Changed from refused to granted by .+ on .+: /);
    await expect(record.textContent()).resolves.toContain(why);
    await cw.locator('.timeline').getByText('A caseworker changed the decision of Birth grant').waitFor({ timeout: 15_000 });
    expect(await card.getByRole('button', { name: /Change this decision/ }).count()).toBe(0);
    await checkPage(cw, 'caseworker-decision-overridden');

    const auditor = f.stack.api.as(await f.stack.token({ role: 'auditor', sub: 'auditor-1' }));
    const audit = (await auditor.get(`/audit?target=${journey.id}/birth-grant`)).body.items;
    expect(audit).toEqual([expect.objectContaining({ action: 'decision.overridden', detail: expect.objectContaining({ from: 'deny', to: 'grant', reason: why }) })]);
  } finally {
    await cw.context().close();
  }
});
