/**
 * The legal clock in the console, in Chromium against the whole stack: a caseworker asks the
 * citizen for information on the licence step (its term then stands still), a refused extension
 * says why; the citizen finds the question among their tasks and answers it; the journey's
 * timeline shows the request, the clock standing still and running again. Every page: axe, 320 px.
 */
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn } from '../support/browser';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
let f: BrowserFixture;
let journeyId: string;

beforeAll(async () => {
  f = await browserFixture('legal-clock');
  journeyId = await f.startJourney(CITIZEN);
});

afterAll(async () => {
  await f?.stop();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('a caseworker asks for information and the term stands still; the citizen answers and it runs again', async () => {
  const caseworker: Page = await newPage(f.browser);
  await signIn(caseworker, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.municipality, name: 'An Peeters' }, `/journeys/${journeyId}`);
  await caseworker.getByRole('heading', { level: 1, name: 'Start a business' }).waitFor();
  const permit = caseworker.locator('tr[data-step="permit"]');

  // The licence step declares no maximum extension: the journey says so.
  await permit.getByRole('button', { name: 'Extend the term' }).click();
  await permit.getByLabel('Extra days').fill('5');
  await permit.getByLabel('Why is more time needed?').fill('The fire brigade visit is late');
  await checkPage(caseworker, 'caseworker-extend-form');
  await permit.getByRole('button', { name: 'Extend', exact: true }).click();
  await permit.getByRole('alert').getByText(/declares no maximum extension/).waitFor();
  await permit.getByRole('button', { name: 'Cancel' }).click();

  await permit.getByRole('button', { name: 'Ask for information' }).click();
  await permit.getByLabel('What do you ask the citizen?').fill('Send the floor plan of the bar.');
  await permit.getByLabel('Answer by').fill(inDays(14));
  await checkPage(caseworker, 'caseworker-request-information-form');
  await permit.getByRole('button', { name: 'Send the question' }).click();
  await permit.getByText(/Term stands still since .*: waiting for the citizen's answer/).waitFor({ timeout: 15_000 });
  await permit.getByText('Asked: “Send the floor plan of the bar.”', { exact: false }).waitFor();
  await caseworker.getByText('A caseworker asked the citizen for information for Licence to serve alcohol').waitFor();
  await checkPage(caseworker, 'caseworker-journey-clock-suspended');

  const citizen: Page = await newPage(f.browser);
  await signIn(citizen, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Jan Janssens' });
  await citizen.getByRole('link', { name: 'My tasks' }).click();
  await citizen.getByRole('link', { name: 'Licence to serve alcohol: a question for you' }).click();
  await citizen.getByRole('heading', { level: 1, name: 'Licence to serve alcohol: a question for you' }).waitFor();
  await citizen.getByText('Send the floor plan of the bar.').waitFor();
  await checkPage(citizen, 'citizen-information-task');
  // An empty answer is refused at the field.
  await citizen.getByRole('button', { name: 'Send' }).click();
  await citizen.locator('textarea#comment[aria-invalid="true"]').waitFor();
  await citizen.getByText('comment is required: the information asked, in your own words').waitFor();
  await citizen.getByLabel('Your answer').fill('The plan is attached to my e-mail of today.');
  await citizen.getByRole('button', { name: 'Send' }).click();
  await citizen.waitForURL(`**/journeys/${journeyId}`);
  await citizen.getByText('The term of Licence to serve alcohol runs again').waitFor({ timeout: 15_000 });
  await checkPage(citizen, 'citizen-journey-clock-resumed');

  // The caseworker's page follows live: the term runs again, their task is theirs again.
  await caseworker.getByText('The citizen gave the information asked for Licence to serve alcohol').waitFor({ timeout: 15_000 });
  await expect(caseworker.locator('tr[data-step="permit"]').getByText(/Term stands still/).count()).resolves.toBe(0);
  await caseworker.locator('tr[data-step="permit"]').getByRole('button', { name: 'Ask for information' }).waitFor();
});
