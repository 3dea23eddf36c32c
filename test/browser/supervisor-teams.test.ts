/**
 * The console in Chromium against the whole stack: a supervisor of an agency that registered its
 * teams reassigns an escalated task by choosing one of those teams from a list (names in their
 * language, with the code), on a page that stays accessible and usable at 320 px.
 */
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn } from '../support/browser';
import { escalatedReviewTask } from './catalog';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
let f: BrowserFixture;
let page: Page;
let taskId: string;

beforeAll(async () => {
  f = await browserFixture('supervisor-teams');
  const agency = f.agencies.municipality;
  for (const [code, en, nl] of [['intake', 'Intake', 'Onthaal'], ['appeals', 'Appeals', 'Beroep']]) {
    expect((await f.admin.post(`/agencies/${agency}/teams`, { code, names: { nl, fr: `${en} (fr)`, de: `${en} (de)`, en } })).status).toBe(201);
  }
  taskId = await escalatedReviewTask(f, CITIZEN);
  page = await newPage(f.browser);
});

afterAll(async () => {
  await f?.stop();
});

test("a supervisor reassigns a task to one of the agency's registered teams, chosen from a list", async () => {
  await signIn(page, f.stack.consoleUrl, { role: 'supervisor', agency: f.agencies.municipality, name: 'Sara Claes' });
  const card = page.locator(`li[data-task="${taskId}"]`);
  await card.waitFor();
  await card.getByRole('link', { name: /^Look and reassign/ }).click();
  await page.getByRole('heading', { level: 2, name: 'Reassign this task' }).waitFor();

  await page.getByLabel('A team').check();
  const teams = page.getByLabel('Team', { exact: true });
  await expect(teams.evaluate((el) => el.tagName)).resolves.toBe('SELECT');
  await expect(teams.locator('option').allTextContents()).resolves.toEqual(['Choose a team', 'Appeals (appeals)', 'Intake (intake)']);
  await checkPage(page, 'supervisor-teams-list');

  await teams.selectOption('appeals');
  await page.getByRole('button', { name: 'Reassign', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'The task is now in the queue of team appeals.' }).waitFor();
  await checkPage(page, 'supervisor-teams-reassigned');
  const row = await f.auditor.get(`/tasks/${taskId}`);
  expect(row.body).toMatchObject({ team: 'appeals', status: 'open' });
});
