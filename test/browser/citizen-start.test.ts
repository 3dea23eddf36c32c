/**
 * A citizen who starts and stops, in Chromium against the whole stack: the life events open to
 * them, the once-only preview (which data from which register, why, on what legal basis), a start
 * whose answer is lost and whose retry starts nothing twice, a consent given and withdrawn from
 * "My consents", and their own journey stopped with a reason, what was done undone and told.
 * A catalog admin registers an event type through its form. axe and 320 px on every page shown;
 * the start and the stop by keyboard.
 */
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn, tabTo } from '../support/browser';
import { pollUntil } from '../support/poll';
import { sandboxRequest } from '../support/stack';
import { publishLifeEvent, publishStep, titles, undoableRegister } from './catalog';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(300_000);

let f: BrowserFixture;
let citizen: string;
let lifeEvent: string;

beforeAll(async () => {
  f = await browserFixture('citizen-start');
  citizen = (await sandboxRequest(f.stack, 'GET', '/_sandbox/population/examples')).soleTrader.nationalNumber;
  await publishStep(f, f.agencies.counter, undoableRegister(f, titles('Register the terrace', 'Terras inschrijven')));
  await publishStep(f, f.agencies.municipality, {
    key: 'terrace-visit',
    kind: 'caseworker',
    titles: titles('Visit the terrace', 'Terrasbezoek'),
    serviceNorm: { target: 'P30D' },
    dataRequirements: [
      { source: 'national-register', field: 'address', purpose: titles('Find the terrace', 'Het terras vinden'), legalBasis: { type: 'law', reference: 'Terrace decree, art. 3' } },
      { source: 'national-register', field: 'contact.phone', purpose: titles('Call you to arrange the visit', 'U bellen voor het bezoek'), legalBasis: { type: 'consent', reference: 'Your consent (GDPR art. 6.1.a)' } },
    ],
  });
  lifeEvent = `open-terrace-${f.run}`;
  await publishLifeEvent(f, lifeEvent, titles('Open a terrace', 'Een terras openen'), [
    { key: 'register', step: { agency: f.agencies.counter, key: 'undoable-register', version: 1 } },
    { key: 'visit', step: { agency: f.agencies.municipality, key: 'terrace-visit', version: 1 }, dependsOn: ['register'] },
  ]);
});

afterAll(async () => {
  await f?.stop();
});

const journeysOf = async (subject: string) => (await f.auditor.get(`/journeys?subject=${subject}&lifeEvent=${lifeEvent}`)).body.items as Array<{ id: string; status: string }>;

test('a citizen sees what will be read, starts once although the first answer was lost, withdraws a consent and stops the journey', async () => {
  const page: Page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: citizen, name: 'Sam Solo' });
  await page.getByRole('link', { name: 'Start something' }).click();
  await page.getByRole('heading', { level: 1, name: 'Start something' }).waitFor();
  const card = page.locator(`li[data-life-event="${lifeEvent}"]`);
  await card.getByRole('heading', { name: 'Open a terrace' }).waitFor();
  await checkPage(page, 'start-list');
  await card.getByRole('link', { name: /See what we need\s*: Open a terrace/ }).click();

  // The preview: per step, the data read, from which register, why and on what basis.
  await page.getByRole('heading', { level: 1, name: 'Open a terrace' }).waitFor();
  await page.getByText('We look up: National register of persons.').waitFor();
  const visit = page.locator('li[data-node="visit"]');
  const phone = visit.getByRole('row', { name: /Phone number/ });
  await expect(phone.textContent()).resolves.toMatch(/Phone number.*National register of persons.*Call you to arrange the visit.*The citizen's consent: Your consent \(GDPR art\. 6\.1\.a\)/);
  await expect(visit.getByRole('row', { name: /Main residence/ }).textContent()).resolves.toContain('A law: Terrace decree, art. 3');
  await expect(page.locator('li[data-node="register"]').textContent()).resolves.toContain('This step does not look up any data about you.');
  await checkPage(page, 'start-preview');

  // The first answer to the start is lost on the way back; the same click again starts nothing new.
  let dropped = 0;
  await page.route('**/journeys', async (route) => {
    if (route.request().method() !== 'POST' || dropped > 0) return route.continue();
    dropped++;
    await route.fetch(); // the gateway starts the journey…
    await route.abort('connectionreset'); // …and its answer never arrives
  });
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Start');
  await page.keyboard.press('Enter');
  await page.locator('main [role="alert"]').getByText('cannot be reached').waitFor();
  expect(dropped).toBe(1);
  const retried = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/journeys');
  await page.getByRole('button', { name: 'Start' }).click();
  // The same Idempotency-Key: the journey the lost answer started, replayed.
  const replay = await retried;
  expect({ status: replay.status(), replayed: replay.headers()['idempotent-replayed'] }).toEqual({ status: 200, replayed: 'true' });
  await page.waitForURL('**/journeys/*');
  const journeyId = new URL(page.url()).pathname.split('/').pop()!;
  expect((await replay.json()).id).toBe(journeyId);
  await pollUntil('the journey in the list', async () => (await journeysOf(citizen)).length > 0);
  expect(await journeysOf(citizen)).toEqual([expect.objectContaining({ id: journeyId })]);

  // The consent the visit asks: given from the task, then withdrawn from "My consents".
  const asCitizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: citizen }));
  const task = await pollUntil('the consent task of the visit', async () => (await asCitizen.get('/tasks?view=open')).body?.items?.find((t: any) => t.journeyId === journeyId && t.purpose === 'consent'), { timeoutMs: 60_000 });
  await page.goto(`${f.stack.consoleUrl}/tasks/${encodeURIComponent(task.id)}`);
  await page.getByLabel('Yes, get it from National register of persons').check();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(`**/journeys/${journeyId}`);
  await page.getByRole('link', { name: 'My consents' }).click();
  await page.getByRole('heading', { level: 1, name: 'My consents' }).waitFor();
  const consent = page.locator('li[data-consent]').filter({ hasText: 'Phone number from National register of persons' });
  await consent.getByText(/^Allowed/).waitFor();
  await checkPage(page, 'my-consents');
  await consent.getByRole('button', { name: /Withdraw consent\s*: Phone number/ }).click();
  // Focus is on the confirmation, so Enter confirms.
  await page.waitForFunction(() => (globalThis as any).document.activeElement?.textContent === 'Yes, withdraw', undefined, { timeout: 5000 });
  await checkPage(page, 'my-consents-confirm');
  await page.keyboard.press('Enter');
  await consent.getByText(/^Withdrawn/).waitFor();
  await page.getByText('Withdrawn: ').first().waitFor();
  const consents = (await asCitizen.get('/me/consents')).body.items;
  expect(consents).toEqual([expect.objectContaining({ journeyId, status: 'withdrawn' })]);

  // Stop the journey, with a reason (none: told at the field).
  await page.goto(`${f.stack.consoleUrl}/journeys/${journeyId}`);
  await page.getByRole('button', { name: 'I want to stop' }).click();
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.locator('#cancel-reason-error').waitFor();
  await expect(page.locator('#cancel-reason').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.evaluate(() => (globalThis as any).document.activeElement?.id)).resolves.toBe('cancel-reason');
  await checkPage(page, 'journey-cancel-error');
  await page.keyboard.type('I found another place');
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Stop');
  await page.keyboard.press('Enter');
  await page.locator('.facts').getByText('Stopped', { exact: true }).first().waitFor({ timeout: 60_000 });
  await page.getByText('I found another place').first().waitFor();
  expect(await page.getByRole('button', { name: 'I want to stop' }).count()).toBe(0);
  await checkPage(page, 'journey-cancelled-by-citizen');
  const journey = (await f.auditor.get(`/journeys/${journeyId}`)).body;
  expect(journey.timeline.find((e: any) => e.type === 'journey.cancelled').detail).toMatchObject({ undone: ['register'] });

  // The message to the citizen is filed with the journey's end (the dispatcher renders and sends it, with the reason and what was undone).
  const pg = new Client({ connectionString: f.db.url });
  await pg.connect();
  try {
    const messages = await pollUntil('the message about the stop', async () => {
      const rows = (await pg.query(`SELECT event_seq FROM notifications WHERE journey_id = $1 AND category = 'journey.cancelled'`, [journeyId])).rows;
      return rows.length ? rows : undefined;
    });
    // One message, for the timeline event that names what was undone.
    expect(messages).toEqual([{ event_seq: journey.timeline.find((e: any) => e.type === 'journey.cancelled').seq }]);
  } finally {
    await pg.end();
  }
  await page.context().close();
});

test('a catalog admin registers an event type through its form; refusals show at their fields', async () => {
  const page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'catalog-admin' });
  await page.getByRole('heading', { level: 1, name: 'Catalog' }).waitFor();
  await page.getByRole('link', { name: 'Register an event type' }).click();
  await page.getByRole('heading', { level: 1, name: 'Register an event type' }).waitFor();
  await checkPage(page, 'event-type-form');

  const type = `be.address-register.t${f.run}.address.changed`;
  await page.getByLabel('Type (CloudEvents type)').fill('Not A Type');
  await page.getByLabel('Source', { exact: true }).selectOption('address-register');
  await page.getByLabel('Where it is in the data').fill('nobody.nationalNumber');
  await page.getByLabel('Description', { exact: true }).fill('change of address');
  await page.getByRole('button', { name: 'Register' }).click();
  // The API's own messages, each at its field; focus on the first.
  await page.locator('#et-type-error').getByText('reverse-DNS').waitFor();
  await page.locator('#et-subject-path-error').waitFor();
  await expect(page.evaluate(() => (globalThis as any).document.activeElement?.id)).resolves.toBe('et-type');
  await checkPage(page, 'event-type-form-refused');

  await page.getByLabel('Type (CloudEvents type)').fill(type);
  await page.getByLabel('JSON Schema of the data').fill('{ "type": "object", ');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.locator('#et-schema-error').getByText('not valid JSON').waitFor();

  await page.getByLabel('Where it is in the data').fill('person.nationalNumber');
  await page
    .getByLabel('JSON Schema of the data')
    .fill(JSON.stringify({ type: 'object', required: ['person'], properties: { person: { type: 'object', required: ['nationalNumber'], properties: { nationalNumber: { type: 'string', format: 'national-number' } } } } }));
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL('**/catalog');
  await page.locator(`li[data-event-type="${type}"]`).getByText('change of address').waitFor();
  expect((await f.admin.get(`/event-types/${type}`)).body).toMatchObject({ type, source: 'address-register', kind: 'start', version: 1, registeredBy: expect.any(String) });
  await page.context().close();
});
