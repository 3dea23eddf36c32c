/**
 * The citizen downloads their dossier from their journey's page, in Chromium against the whole
 * stack: "Download my dossier (PDF)" saves a PDF, "(JSON)" the same content as JSON, each said
 * done in the live region, in the console's language; the page stays axe clean and usable at
 * 320 px, in English and Dutch.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { checkPage, newPage, signIn } from '../support/browser';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
let f: BrowserFixture;
let journeyId: string;

beforeAll(async () => {
  f = await browserFixture('dossier');
  journeyId = await f.startJourney(CITIZEN);
});

afterAll(async () => {
  await f?.stop();
});

const saved = async (download: Download) => readFile((await download.path())!);

test('the citizen downloads their dossier as PDF and as JSON from the journey page', async () => {
  const page: Page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Jan Janssens' }, `/journeys/${journeyId}`);
  const section = page.locator('section[aria-labelledby="dossier-title"]');
  await section.getByRole('heading', { level: 2, name: 'My dossier' }).waitFor({ timeout: 15_000 });
  await checkPage(page, 'citizen-journey-dossier');

  const [pdf] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Download my dossier (PDF)' }).click()]);
  expect(pdf.suggestedFilename()).toBe(`dossier-${f.lifeEvent}.pdf`);
  expect((await saved(pdf)).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  await section.getByRole('status').getByText('Your dossier (PDF) is downloaded.').waitFor();

  const [json] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Download my dossier (JSON)' }).click()]);
  expect(json.suggestedFilename()).toBe(`dossier-${f.lifeEvent}.json`);
  const content = JSON.parse((await saved(json)).toString('utf8'));
  expect(content).toMatchObject({ format: 'levensloop.dossier/1', language: 'en', requestedBy: { code: 'subject' }, journey: { id: journeyId } });
  expect(content.steps.map((s: { node: string }) => s.node)).toEqual(['register', 'permit', 'account']);
  await section.getByRole('status').getByText('Your dossier (JSON) is downloaded.').waitFor();
  await checkPage(page, 'citizen-journey-dossier-downloaded');

  // In Dutch: the section and the dossier follow the console's language.
  await page.getByLabel('Language', { exact: true }).selectOption('nl');
  await section.getByRole('heading', { level: 2, name: 'Mijn dossier' }).waitFor();
  const [dutch] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Mijn dossier downloaden (JSON)' }).click()]);
  expect(JSON.parse((await saved(dutch)).toString('utf8'))).toMatchObject({ language: 'nl', title: 'Mijn dossier: Een zaak starten' });
  await checkPage(page, 'citizen-journey-dossier-nl');
});
