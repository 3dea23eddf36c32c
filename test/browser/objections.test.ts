/**
 * Objection and appeal in the console, against the whole stack: the citizen sees until when they
 * may object and files an objection with a reason; a caseworker of the deciding agency who did not
 * decide (four eyes, shown) revises the decision with an explanation; the timeline shows both.
 * axe and 320 px on every state.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn } from '../support/browser';
import { pollUntil } from '../support/poll';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
let f: BrowserFixture;
let journeyId: string;
const lifeEvent = () => `support-${f.run}`;
const titles = (en: string, nl: string) => ({ nl, fr: `${en} (fr)`, de: `${en} (de)`, en });

beforeAll(async () => {
  f = await browserFixture('objections');
  const agency = f.agencies.municipality;
  const step = async (body: Record<string, unknown>) => {
    expect((await f.admin.post(`/agencies/${agency}/steps`, { serviceNorm: { target: 'P10D' }, ...body })).status).toBe(201);
    expect((await f.admin.post(`/agencies/${agency}/steps/${body.key}/versions/1/publish`)).status).toBe(200);
  };
  await step({
    key: 'support-decision',
    kind: 'decision',
    titles: titles('Support allowance', 'Toelage'),
    rule: { id: 'support-rule', version: 1, branches: [{ when: { '==': [{ var: 'data.income' }, 'low'] }, outcome: 'grant', explanation: titles('Your income is low.', 'Uw inkomen is laag.') }], otherwise: { outcome: 'refer', explanation: titles('A caseworker decides.', 'Een medewerker beslist.') } },
    objection: { term: 'P30D' },
  });
  await step({ key: 'support-payment', kind: 'caseworker', titles: titles('Pay the allowance', 'Toelage uitbetalen') });
  const created = await f.admin.post('/life-events', {
    key: lifeEvent(),
    audience: 'citizen',
    titles: titles('Ask for support', 'Steun aanvragen'),
    nodes: [
      { key: 'decide', step: { agency, key: 'support-decision', version: 1 }, optional: true },
      { key: 'pay', step: { agency, key: 'support-payment', version: 1 }, dependsOn: ['decide'], condition: { '==': [{ var: 'steps.decide.outcome.result' }, 'approved'] } },
    ],
  });
  expect(created.status).toBe(201);
  expect((await f.admin.post(`/life-events/${lifeEvent()}/versions/1/publish`)).status).toBe(200);

  // The citizen asks; a caseworker (cw-decider) refuses the referral over the API; the journey completes.
  const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: CITIZEN }));
  const started = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent() }, subject: { type: 'person', id: CITIZEN } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  journeyId = started.body.id;
  const decider = f.stack.api.as(await f.stack.token({ role: 'caseworker', agency, sub: 'cw-decider' }));
  await pollUntil('the referral task', async () => (await decider.post(`/tasks/${journeyId}.decide/complete`, { outcome: 'reject', comment: 'Income too high.' })).status === 200, { timeoutMs: 60_000 });
  await pollUntil('journey completed', async () => (await f.auditor.get(`/journeys/${journeyId}`)).body.status === 'completed');
});

afterAll(async () => {
  await f?.stop();
});

test('the citizen sees until when to object and files an objection', async () => {
  const page: Page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Els Claes' }, `/journeys/${journeyId}`);
  const card = page.locator('article[data-objection="decide"]');
  await card.getByText(/You can object until .* \(term P30D\)\./).waitFor({ timeout: 30_000 });
  await checkPage(page, 'citizen-objection-open');

  // Without a reason: the API's problem is shown at the field, and focus goes there.
  await card.getByRole('button', { name: 'File the objection' }).click();
  await page.locator('#objection-decide-reason-error').waitFor();
  await expect(page.evaluate(() => (globalThis as any).document.activeElement?.id)).resolves.toBe('objection-decide-reason');
  await checkPage(page, 'citizen-objection-error');

  await card.getByLabel('Why is the decision wrong? (required)').fill('My income dropped in March; my payslips show it.');
  await card.getByRole('button', { name: 'File the objection' }).click();
  await page.getByRole('status').filter({ hasText: 'Your objection to the decision on Support allowance was filed.' }).waitFor();
  await card.getByText(/Objection filed on .* waiting for review:/).waitFor();
  await page.locator('.timeline').getByText('An objection was filed against the decision of Support allowance').waitFor({ timeout: 15_000 });
  await checkPage(page, 'citizen-objection-filed');
  await page.close();
});

test('another caseworker reviews it (four eyes shown) and revises the decision; the timeline and the dashboard show it', async () => {
  const page: Page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.municipality, name: 'Bram Maes' }, `/journeys/${journeyId}`);
  const card = page.locator('article[data-objection="decide"]');
  await card.getByText('Four eyes: cw-decider decided or changed this decision and may not review an objection against it.').waitFor({ timeout: 30_000 });
  await card.getByRole('heading', { name: 'Review the objection against the decision on Support allowance' }).waitFor();
  await checkPage(page, 'caseworker-objection-review');

  await card.getByLabel('Outcome').selectOption('grant');
  await card.getByLabel("Language of the explanation (the citizen's)").selectOption('en');
  await card.getByLabel('Explanation for the citizen (required)').fill('Your payslips since March show an income under the limit.');
  await card.getByRole('button', { name: 'Save the review' }).click();
  await page.getByRole('status').filter({ hasText: 'The objection on Support allowance is reviewed. The decision is now: granted.' }).waitFor();
  await card.getByText(/Reviewed by .* The decision is now: granted\./).waitFor();
  await page.locator('.timeline').getByText('After the objection, the decision of Support allowance was changed').waitFor({ timeout: 15_000 });
  await page.locator('.timeline').getByText('Pay the allowance starts again because a decision changed').waitFor({ timeout: 15_000 });
  await checkPage(page, 'caseworker-objection-reviewed');
  // The rule owner's figures on the dashboard.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByText('support-rule, version 1').first().waitFor({ timeout: 15_000 });
  await page.getByText('1 objections: 1 revised, 0 upheld, 0 open').first().waitFor();
  await checkPage(page, 'dashboard-objections');
  await page.close();
});

describe('the appeal after an upheld objection', () => {
  let appealJourney: string;

  beforeAll(async () => {
    const agency = f.agencies.municipality;
    const rule = { id: 'appeal-rule', version: 1, branches: [{ when: { '==': [{ var: 'data.income' }, 'low'] }, outcome: 'grant', explanation: titles('Your income is low.', 'Uw inkomen is laag.') }], otherwise: { outcome: 'deny', explanation: titles('Your income is too high.', 'Uw inkomen is te hoog.') } };
    expect((await f.admin.post(`/agencies/${agency}/steps`, { key: 'appealable-decision', kind: 'decision', titles: titles('Housing allowance', 'Huurtoelage'), serviceNorm: { target: 'P10D' }, rule, objection: { term: 'P30D', appeal: { term: 'P30D' } } })).status).toBe(201);
    expect((await f.admin.post(`/agencies/${agency}/steps/appealable-decision/versions/1/publish`)).status).toBe(200);
    const key = `appeal-${f.run}`;
    expect((await f.admin.post('/life-events', { key, audience: 'citizen', titles: titles('Ask for a housing allowance', 'Huurtoelage aanvragen'), nodes: [{ key: 'decide', step: { agency, key: 'appealable-decision', version: 1 }, optional: true }] })).status).toBe(201);
    expect((await f.admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);
    // Refused by rule, objected to and upheld by cw-reviewer over the API.
    const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: CITIZEN }));
    const started = await citizen.post('/journeys', { lifeEvent: { key }, subject: { type: 'person', id: CITIZEN }, data: { income: 'high' } }, { 'idempotency-key': randomUUID() });
    expect(started.status).toBe(201);
    appealJourney = started.body.id;
    await pollUntil('journey completed', async () => (await f.auditor.get(`/journeys/${appealJourney}`)).body.status === 'completed', { timeoutMs: 60_000 });
    expect((await citizen.post(`/journeys/${appealJourney}/decisions/decide/objections`, { reason: 'My rent went up.' })).status).toBe(201);
    const reviewer = f.stack.api.as(await f.stack.token({ role: 'caseworker', agency, sub: 'cw-reviewer' }));
    await pollUntil('the objection reviewed', async () => (await reviewer.post(`/journeys/${appealJourney}/decisions/decide/objection/review`, { verdict: 'uphold', explanation: { en: 'Your income counts, not your rent.' } })).status === 200, { timeoutMs: 60_000 });
  });

  test('the citizen sees until when to appeal and appeals', async () => {
    const page: Page = await newPage(f.browser);
    await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Els Claes' }, `/journeys/${appealJourney}`);
    const stage = page.locator('div[data-appeal="decide"]');
    await stage.getByText(/You can appeal until .* \(term P30D\)\./).waitFor({ timeout: 30_000 });
    await checkPage(page, 'citizen-appeal-open');
    await stage.getByRole('button', { name: 'File the appeal' }).click();
    await page.locator('#appeal-decide-reason-error').waitFor();
    await checkPage(page, 'citizen-appeal-error');
    await stage.getByLabel('Why is the decision still wrong? (required)').fill('The rent is part of the income test in the decree.');
    await stage.getByRole('button', { name: 'File the appeal' }).click();
    await page.getByRole('status').filter({ hasText: 'Your appeal against the decision on Housing allowance was filed.' }).waitFor();
    await stage.getByText(/Appeal filed on .* waiting for a decision:/).waitFor();
    await page.locator('.timeline').getByText('An appeal was filed against the decision of Housing allowance').waitFor({ timeout: 15_000 });
    await checkPage(page, 'citizen-appeal-filed');
    await page.close();
  });

  test('a caseworker who did not review the objection decides the appeal', async () => {
    const page: Page = await newPage(f.browser);
    await signIn(page, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.municipality, name: 'Bram Maes' }, `/journeys/${appealJourney}`);
    const stage = page.locator('div[data-appeal="decide"]');
    await stage.getByRole('heading', { name: 'Decide the appeal against the decision on Housing allowance' }).waitFor({ timeout: 30_000 });
    await checkPage(page, 'caseworker-appeal-decision');
    await stage.getByLabel('Outcome').selectOption('grant');
    await stage.getByLabel("Language of the explanation (the citizen's)").selectOption('en');
    await stage.getByLabel('Explanation for the citizen (required)').fill('The decree counts the rent: your allowance is granted.');
    await stage.getByRole('button', { name: 'Save the decision on the appeal' }).click();
    await page.getByRole('status').filter({ hasText: 'The appeal on Housing allowance is decided. The decision is now: granted.' }).waitFor();
    await stage.getByText(/Decided on appeal by .* The decision is now: granted\./).waitFor();
    await page.locator('.timeline').getByText('On appeal, the decision of Housing allowance was changed').waitFor({ timeout: 15_000 });
    await checkPage(page, 'caseworker-appeal-decided');
    await page.close();
  });

  test('the dashboard shows the appeal with the objection figures of its rule', async () => {
    const page: Page = await newPage(f.browser);
    await signIn(page, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.municipality, name: 'Bram Maes' }, '/dashboard');
    await page.getByText('appeal-rule, version 1: 1 objections: 0 revised, 1 upheld, 0 open; 1 appeals: 1 revised').waitFor({ timeout: 15_000 });
    // A rule without appeals shows its objection figures alone.
    await page.getByText(/support-rule, version 1: 1 objections: 1 revised, 0 upheld, 0 open$/).waitFor();
    await checkPage(page, 'dashboard-appeals');
    await page.close();
  });
});
