/**
 * The agency admin's catalog in Chromium against the whole stack: a draft step with a mistake,
 * the API's problem shown at the field it concerns, fixed, saved and published.
 */
import { checkPage, newPage, signIn } from '../support/browser';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

let f: BrowserFixture;

beforeAll(async () => {
  f = await browserFixture('admin');
});

afterAll(async () => {
  await f?.stop();
});

test('an agency admin creates a draft step with an error, sees the message at the field, fixes it and publishes', async () => {
  const page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'agency-admin', agency: f.agencies.municipality, name: 'Els Admin' });
  await page.getByRole('heading', { level: 1, name: 'Catalog' }).waitFor();
  await page.locator(`li[data-step="${f.agencies.municipality}/alcohol-permit"]`).waitFor();
  await checkPage(page, 'admin-catalog');

  await page.getByRole('link', { name: 'New step' }).click();
  await page.getByRole('heading', { level: 1, name: 'New step' }).waitFor();
  // An agency admin manages only their own agency's steps.
  expect(await page.locator('#step-agency option').allTextContents()).toEqual(['Municipality']);
  await page.getByLabel('Key').fill('terrace-permit');
  await page.getByLabel('Kind of step').selectOption('caseworker');
  await page.getByLabel('Dutch').fill('Terrasvergunning');
  await page.getByLabel('English').fill('Terrace permit');
  await page.getByLabel('Target').fill('5 days');
  await page.getByRole('button', { name: 'Save the draft' }).click();

  const error = page.locator('#step-target-error');
  await error.waitFor();
  expect(await error.textContent()).toMatch(/duration/i);
  await expect(page.locator('#step-target').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.locator('#step-target').getAttribute('aria-describedby')).resolves.toContain('step-target-error');
  // Focus went to the field to fix.
  await expect(page.evaluate(() => (globalThis as any).document.activeElement?.id)).resolves.toBe('step-target');
  await checkPage(page, 'admin-step-error');

  await page.getByLabel('Target').fill('P5D');
  await page.getByRole('button', { name: 'Save the draft' }).click();
  await page.waitForURL(`**/catalog/steps/${f.agencies.municipality}/terrace-permit`);
  await page.getByRole('heading', { level: 1, name: 'Terrace permit' }).waitFor();
  const row = page.locator('tr[data-version="1"]');
  await row.getByText('Draft').waitFor();
  await checkPage(page, 'admin-step-draft');
  await row.getByRole('button', { name: /Publish/ }).click();
  await row.getByText('Published').waitFor();
  await page.getByRole('status').filter({ hasText: 'Version 1 is published.' }).waitFor();
  await checkPage(page, 'admin-step-published');

  const published = await f.admin.get(`/agencies/${f.agencies.municipality}/steps/terrace-permit/versions/1`);
  expect(published.body).toMatchObject({ status: 'published', kind: 'caseworker', serviceNorm: { target: 'P5D' }, titles: { nl: 'Terrasvergunning', en: 'Terrace permit' } });

  // The life event's graph, as an admin reads it.
  await page.getByRole('link', { name: 'Back to the catalog' }).click();
  await page.getByRole('link', { name: 'Start a business' }).click();
  await page.locator('svg.graph').waitFor();
  expect(await page.locator('svg.graph g.graph-node').count()).toBe(3);
  await checkPage(page, 'admin-life-event');
  await page.context().close();
});
