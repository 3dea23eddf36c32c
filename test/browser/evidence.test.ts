/**
 * Evidence from another agency in the console, in Chromium against the whole stack: the citizen's
 * task form offers "Get it from Central Criminal Record" beside the upload; pressing it shows the
 * preview (only theirs), which they view (a download) and then use: it is the task's document.
 * Every page state: axe, 320 px.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn } from '../support/browser';
import { pollUntil } from '../support/poll';
import { sandboxRequest } from '../support/stack';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const titles = (en: string, nl: string) => ({ nl, fr: `${en} (fr)`, de: `${en} (de)`, en });
let f: BrowserFixture;
let citizenNumber: string;

beforeAll(async () => {
  f = await browserFixture('evidence');
  citizenNumber = (await sandboxRequest(f.stack, 'GET', '/_sandbox/population/examples')).soleTrader.nationalNumber;
  const agency = f.agencies.municipality;
  const step = {
    key: 'apply-licence',
    kind: 'citizen',
    titles: titles('Apply for the licence', 'De vergunning aanvragen'),
    serviceNorm: { target: 'P14D' },
    documents: [
      {
        key: 'good-conduct',
        titles: titles('Extract from the criminal record', 'Uittreksel uit het strafregister'),
        acceptedTypes: ['application/pdf'],
        maxBytes: 1024 * 1024,
        required: true,
        evidence: {
          source: 'criminal-record',
          type: 'certificate-of-good-conduct',
          purpose: titles('Check that you have no conviction that rules out the licence', 'Nagaan of u geen veroordeling hebt die de vergunning uitsluit'),
          legalBasis: { type: 'law', reference: 'Wet van 28 december 1983, art. 2' },
        },
      },
    ],
  };
  expect((await f.admin.post(`/agencies/${agency}/steps`, step)).status).toBe(201);
  expect((await f.admin.post(`/agencies/${agency}/steps/apply-licence/versions/1/publish`)).status).toBe(200);
  const key = `licence-${f.run}`;
  expect((await f.admin.post('/life-events', { key, audience: 'citizen', titles: titles('Get a licence', 'Een vergunning krijgen'), nodes: [{ key: 'apply', step: { agency, key: 'apply-licence', version: 1 } }] })).status).toBe(201);
  expect((await f.admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);
  const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: citizenNumber }));
  const started = await citizen.post('/journeys', { lifeEvent: { key }, subject: { type: 'person', id: citizenNumber } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  await pollUntil('the apply task', async () => (await citizen.get('/tasks?view=open')).body.items?.find((t: any) => t.journeyId === started.body.id));
});

afterAll(async () => {
  await f?.stop();
});

test('the citizen gets the extract from the Central Criminal Record, views the preview and uses it', async () => {
  const citizen: Page = await newPage(f.browser);
  await signIn(citizen, f.stack.consoleUrl, { role: 'citizen', number: citizenNumber, name: 'Els Claes' });
  await citizen.getByRole('link', { name: 'My tasks' }).click();
  await citizen.getByRole('link', { name: 'Apply for the licence' }).click();
  const offer = citizen.locator('[data-evidence="good-conduct"]');
  await offer.getByText('Or get it from Central Criminal Record: your Extract from the criminal record (certificate of good conduct).').waitFor();
  await checkPage(citizen, 'citizen-task-evidence-offer');

  await offer.getByRole('button', { name: /^Get it from Central Criminal Record\s*: Extract from the criminal record$/ }).click();
  await offer.getByText('Central Criminal Record sent the document. Look at it, then use it or discard it.').waitFor();
  await offer.getByText(/^Preview: uittreksel-strafregister\.pdf/).waitFor();
  await checkPage(citizen, 'citizen-task-evidence-preview');

  const [download] = await Promise.all([citizen.waitForEvent('download'), offer.getByRole('button', { name: /^View the preview\s*: Extract from the criminal record$/ }).click()]);
  expect(download.suggestedFilename()).toBe('uittreksel-strafregister.pdf');

  await offer.getByRole('button', { name: /^Use this document\s*: Extract from the criminal record$/ }).click();
  await citizen.getByText('The document is added for Extract from the criminal record.').waitFor();
  await citizen.getByText(/^Uploaded: uittreksel-strafregister\.pdf/).waitFor();
  await expect(offer.getByRole('button', { name: /^Use this document/ }).count()).resolves.toBe(0);
  await checkPage(citizen, 'citizen-task-evidence-used');
});
