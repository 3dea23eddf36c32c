/**
 * Appointments in the console, in Chromium against the whole stack: the citizen's "choose a time"
 * task lists the free slots of the agency's calendar grouped by day as radio buttons, picked with
 * the keyboard, booked, moved and cancelled (each said in a live region); an agency admin drafts
 * an appointment step with the form's appointment fields, a mistake shown at its field. Every
 * page state: axe, 320 px.
 */
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn } from '../support/browser';
import { pollUntil } from '../support/poll';
import { publishLifeEvent, publishStep, startJourneyOf, titles } from './catalog';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
let f: BrowserFixture;
let journeyId: string;

beforeAll(async () => {
  f = await browserFixture('appointments');
  const agency = f.agencies.bank;
  await publishStep(f, agency, {
    key: 'home-visit',
    kind: 'appointment',
    titles: titles('Home visit', 'Huisbezoek'),
    serviceNorm: { target: 'P21D' },
    endpoint: `${f.stack.sandboxUrl}/agencies/${agency}/calendars`,
    appointment: { calendar: 'advisors', duration: 'PT1H', place: titles('At your home', 'Bij u thuis'), bookWithin: 'P14D', reminderBefore: 'P1D' },
  });
  const key = `scan-${f.run}`;
  await publishLifeEvent(f, key, titles('An energy scan', 'Een energiescan'), [{ key: 'visit', step: { agency, key: 'home-visit', version: 1 } }]);
  journeyId = await startJourneyOf(f, key, CITIZEN);
  const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: CITIZEN }));
  await pollUntil('the choose-a-time task', async () => (await citizen.get('/tasks?view=open')).body.items?.find((t: any) => t.journeyId === journeyId));
});

afterAll(async () => {
  await f?.stop();
});

const checked = (page: Page) => page.locator('input[name="slot"]:checked').getAttribute('value');

test('the citizen picks a time with the keyboard, books it, moves it and cancels it', async () => {
  const page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Jan Janssens' });
  await page.getByRole('link', { name: 'My tasks' }).click();
  await page.getByRole('link', { name: 'Home visit: choose a time' }).click();
  await page.getByRole('heading', { level: 2, name: 'Choose a time' }).waitFor();
  await page.getByText('Where: At your home').waitFor();
  // Slots grouped by day: one fieldset per day, its legend the day.
  const days = page.locator('fieldset.slot-day');
  await days.first().waitFor();
  expect(await days.count()).toBeGreaterThan(1);
  expect(await days.first().locator('legend').textContent()).toMatch(/\d{4}$/);
  await checkPage(page, 'citizen-appointment-slots');

  // Keyboard: the first slot, then the next with the arrow key.
  const radios = page.locator('input[name="slot"]');
  const first = await radios.nth(0).getAttribute('value');
  const second = await radios.nth(1).getAttribute('value');
  await radios.nth(0).focus();
  await page.keyboard.press('Space');
  await expect(checked(page)).resolves.toBe(first);
  await page.keyboard.press('ArrowDown');
  await expect(checked(page)).resolves.toBe(second);
  await page.getByRole('button', { name: 'Book this time' }).click();
  await page.getByRole('status').filter({ hasText: 'Your appointment is booked' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Your appointment' }).waitFor();
  await page.locator(`[data-booking="${second}"]`).waitFor();
  await checkPage(page, 'citizen-appointment-booked');

  // Moved to another time.
  await page.getByRole('heading', { level: 3, name: 'Move to another time' }).waitFor();
  const third = await radios.nth(2).getAttribute('value');
  await radios.nth(2).check();
  await page.getByRole('button', { name: 'Move to this time' }).click();
  await page.getByRole('status').filter({ hasText: 'Your appointment was moved' }).waitFor();
  await page.locator(`[data-booking="${third}"]`).waitFor();

  // Cancelled: choose again.
  await page.getByRole('button', { name: 'Cancel the appointment' }).click();
  await page.getByRole('status').filter({ hasText: 'Your appointment is cancelled' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Choose a time' }).waitFor();
  await checkPage(page, 'citizen-appointment-cancelled');

  // Choosing nothing says so.
  await page.getByRole('button', { name: 'Book this time' }).click();
  await page.getByText('Choose a time first.').first().waitFor();
});

test('an agency admin drafts an appointment step: the appointment fields, a mistake shown at its field', async () => {
  const page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'agency-admin', agency: f.agencies.bank, name: 'Els Admin' });
  await page.getByRole('heading', { level: 1, name: 'Catalog' }).waitFor();
  await page.getByRole('link', { name: 'New step' }).click();
  await page.getByRole('heading', { level: 1, name: 'New step' }).waitFor();
  await page.getByLabel('Key').fill('counter-visit');
  await page.getByLabel('Kind of step').selectOption('appointment');
  await page.locator('#step-title-nl').fill('Afspraak aan het loket');
  await page.locator('#step-title-en').fill('Counter appointment');
  await page.getByLabel('Target').fill('P21D');
  await page.getByLabel("Address of the agency's calendar").fill(`${f.stack.sandboxUrl}/agencies/${f.agencies.bank}/calendars`);
  await page.getByLabel('Calendar', { exact: true }).fill('counter');
  await page.getByLabel('Duration').fill('half an hour');
  await page.locator('#appointment-place-nl').fill('Loket, Grote Markt 1');
  await page.locator('#appointment-place-en').fill('Counter, Grote Markt 1');
  await page.getByRole('button', { name: 'Save the draft' }).click();
  const error = page.locator('#appointment-duration-error');
  await error.waitFor();
  expect(await error.textContent()).toMatch(/duration/i);
  await expect(page.locator('#appointment-duration').getAttribute('aria-invalid')).resolves.toBe('true');
  await checkPage(page, 'admin-appointment-step-error');

  await page.getByLabel('Duration').fill('PT30M');
  await page.getByRole('button', { name: 'Save the draft' }).click();
  await page.waitForURL(`**/catalog/steps/${f.agencies.bank}/counter-visit`);
  const saved = await f.admin.get(`/agencies/${f.agencies.bank}/steps/counter-visit/versions/1`);
  expect(saved.body).toMatchObject({ kind: 'appointment', appointment: { calendar: 'counter', duration: 'PT30M', place: { nl: 'Loket, Grote Markt 1', en: 'Counter, Grote Markt 1' }, bookWithin: 'P14D', reminderBefore: 'P1D' } });
});
