/**
 * The citizen's Mandates page in Chromium against the whole stack: a citizen gives a relative a
 * mandate by keyboard (a wrong end date is shown at its field first), the relative sees it waiting,
 * accepts it and stops it again with a reason. Each state checked with axe and at 320 px.
 */
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn, tabTo } from '../support/browser';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const GRANTOR = '85073003328';
const HOLDER = '90010100123';
let f: BrowserFixture;

beforeAll(async () => {
  f = await browserFixture('mandates');
});

afterAll(async () => {
  await f?.stop();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('a citizen gives a mandate by keyboard; the holder accepts it and stops it', async () => {
  const page: Page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: GRANTOR, name: 'Jan Janssens' });
  await page.getByRole('heading', { level: 1, name: 'My journeys' }).waitFor();
  // By keyboard: the menu link, then the form.
  await tabTo(page, (el) => el.tag === 'a' && el.text === 'Mandates');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Mandates' }).waitFor();
  await page.getByText('You gave no mandate yet.').waitFor();
  await checkPage(page, 'citizen-mandates-empty');

  await page.getByLabel('Their national register number (11 digits)').focus();
  await page.keyboard.type(HOLDER);
  await page.getByLabel('Follow and act (start, stop, answer)').focus();
  await page.keyboard.press('Space');
  await page.getByLabel('All life events').focus();
  await page.keyboard.press('Space');
  await page.getByLabel('Start a business').focus();
  await page.keyboard.press('Space');
  await page.getByLabel('From', { exact: true }).fill(day(1));
  await page.getByLabel('Until', { exact: true }).fill(day(0));
  await page.getByLabel('Why', { exact: true }).fill('My son handles my paperwork.');
  await page.getByRole('button', { name: 'Give the mandate' }).focus();
  await page.keyboard.press('Enter');
  // The wrong end date at its field, focused.
  await page.locator('#valid-until-error').getByText('must be after the start').waitFor();
  await expect(page.locator('#valid-until').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.evaluate(() => (globalThis as any).document.activeElement?.id)).resolves.toBe('valid-until');
  await checkPage(page, 'citizen-mandates-problem');

  await page.getByLabel('Until', { exact: true }).fill(day(200));
  await page.getByRole('button', { name: 'Give the mandate' }).click();
  await page.getByText('Mandate given. It counts once the other person accepts it.').waitFor();
  const given = page.locator('section', { has: page.getByRole('heading', { name: 'Mandates you gave' }) }).locator('li.card');
  await given.getByText(`To ${HOLDER}`).waitFor();
  await given.getByText('Waiting to be accepted').waitFor();
  await given.getByText('Follow and act (start, stop, answer) — Start a business').waitFor();
  await checkPage(page, 'citizen-mandates-given');

  const holder: Page = await newPage(f.browser);
  await signIn(holder, f.stack.consoleUrl, { role: 'citizen', number: HOLDER, name: 'Piet Peeters' }, '/my/mandates');
  await holder.getByRole('heading', { level: 1, name: 'Mandates' }).waitFor();
  const waiting = holder.locator('section', { has: holder.getByRole('heading', { name: 'Waiting for your answer' }) }).locator('li.card');
  await waiting.getByText(`From ${GRANTOR}`).waitFor();
  await checkPage(holder, 'citizen-mandates-pending');
  await waiting.getByRole('button', { name: 'Accept' }).focus();
  await holder.keyboard.press('Enter');
  await holder.getByText('Accepted. You can now act within what the mandate allows.').waitFor();
  const held = holder.locator('section', { has: holder.getByRole('heading', { name: 'Mandates you hold' }) }).locator('li.card');
  await held.getByText('Accepted, starts later').waitFor();
  await holder.getByText('Nobody is waiting for your answer.').waitFor();

  await held.getByRole('button', { name: 'Stop this mandate' }).click();
  await held.getByLabel('Why do you stop it? (at least 3 characters)').fill('I cannot help any more.');
  await checkPage(holder, 'citizen-mandates-revoking');
  await held.getByRole('button', { name: 'Stop it now' }).click();
  await holder.getByText('Stopped. It no longer counts.').waitFor();
  await held.getByText('Stopped', { exact: true }).waitFor();
  await held.getByText('I cannot help any more.').waitFor();
});
