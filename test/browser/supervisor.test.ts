/**
 * The console in Chromium against the whole stack: a supervisor of the municipality finds the task
 * whose step escalated in their view (with what they were told), opens it, is told what to fix in
 * a reassignment to a team code that is not one, and reassigns it to another team's queue.
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
  f = await browserFixture('supervisor');
  taskId = await escalatedReviewTask(f, CITIZEN);
  page = await newPage(f.browser);
});

afterAll(async () => {
  await f?.stop();
});

test('a supervisor sees the escalated task and what they were told, and reassigns it to a team', async () => {
  await signIn(page, f.stack.consoleUrl, { role: 'supervisor', agency: f.agencies.municipality, name: 'Sara Claes' });
  await page.getByRole('heading', { level: 1, name: `Supervision of ${f.agencies.municipality}` }).waitFor();
  const card = page.locator(`li[data-task="${taskId}"]`);
  await card.waitFor();
  await expect(card.textContent()).resolves.toContain('Team: intake');
  await page.getByRole('heading', { level: 3, name: 'Escalation: Review the application' }).waitFor();
  await checkPage(page, 'supervisor-escalated');

  await card.getByRole('link', { name: /^Look and reassign/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Review the application' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Reassign this task' }).waitFor();
  // A supervisor reassigns; they do not take or finish the task themselves.
  expect(await page.getByRole('button', { name: 'Take this task' }).count()).toBe(0);
  await checkPage(page, 'supervisor-task');

  await page.getByLabel('A team').check();
  await page.getByLabel('Team', { exact: true }).fill('Not a team');
  await page.getByRole('button', { name: 'Reassign', exact: true }).click();
  await page.locator('#reassign-who-error').waitFor();
  await expect(page.locator('#reassign-who-error').textContent()).resolves.toContain('team code');
  await expect(page.locator('#reassign-who').getAttribute('aria-invalid')).resolves.toBe('true');
  await checkPage(page, 'supervisor-reassign-error');

  await page.getByLabel('Team', { exact: true }).fill('appeals');
  await page.getByLabel('Why (optional)').fill('Intake is short of staff this week.');
  await page.getByRole('button', { name: 'Reassign', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'The task is now in the queue of team appeals.' }).waitFor();
  await page.locator('dl.facts').getByText('appeals', { exact: true }).waitFor({ timeout: 15_000 });
  await checkPage(page, 'supervisor-reassigned');
  const row = await f.auditor.get(`/tasks/${taskId}`);
  expect(row.body).toMatchObject({ team: 'appeals', status: 'open' });
});
