/**
 * Documents in the console, in Chromium against the whole stack: the citizen's task form asks for
 * a birth certificate (what it takes is said next to the field); a PNG named .pdf is refused at
 * the field; a PDF is uploaded and the task is finished; the journey page lists the document,
 * which a caseworker of the agency downloads. Every page state: axe, 320 px.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn } from '../support/browser';
import { pollUntil } from '../support/poll';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
const titles = (en: string, nl: string) => ({ nl, fr: `${en} (fr)`, de: `${en} (de)`, en });
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
let f: BrowserFixture;
let journeyId: string;

beforeAll(async () => {
  f = await browserFixture('documents');
  const agency = f.agencies.bank;
  const step = {
    key: 'give-proof',
    kind: 'citizen',
    titles: titles('Give the birth certificate', 'Geboorteakte bezorgen'),
    serviceNorm: { target: 'P14D' },
    documents: [
      { key: 'birth-certificate', titles: titles('Birth certificate', 'Geboorteakte'), acceptedTypes: ['application/pdf'], maxBytes: 1024 * 1024, required: true },
      { key: 'photo', titles: titles('Passport photo', 'Pasfoto'), acceptedTypes: ['image/jpeg', 'image/png'], maxBytes: 2 * 1024 * 1024 },
    ],
  };
  expect((await f.admin.post(`/agencies/${agency}/steps`, step)).status).toBe(201);
  expect((await f.admin.post(`/agencies/${agency}/steps/give-proof/versions/1/publish`)).status).toBe(200);
  const key = `proof-${f.run}`;
  expect((await f.admin.post('/life-events', { key, audience: 'citizen', titles: titles('Register a birth', 'Een geboorte aangeven'), nodes: [{ key: 'proof', step: { agency, key: 'give-proof', version: 1 } }] })).status).toBe(201);
  expect((await f.admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);
  const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: CITIZEN }));
  const started = await citizen.post('/journeys', { lifeEvent: { key }, subject: { type: 'person', id: CITIZEN } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  journeyId = started.body.id;
  await pollUntil('the proof task', async () => (await citizen.get('/tasks?view=open')).body.items?.find((t: any) => t.journeyId === journeyId));
});

afterAll(async () => {
  await f?.stop();
});

test('the citizen uploads the birth certificate on the task form (a PNG named .pdf is refused at the field); a caseworker downloads it from the journey', async () => {
  const citizen: Page = await newPage(f.browser);
  await signIn(citizen, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Jan Janssens' });
  await citizen.getByRole('link', { name: 'My tasks' }).click();
  await citizen.getByRole('link', { name: 'Give the birth certificate' }).click();
  await citizen.getByRole('heading', { level: 2, name: 'Documents' }).waitFor();
  await citizen.getByText('Accepted: PDF, at most 1 MB.').waitFor();
  await checkPage(citizen, 'citizen-task-documents');

  // The content decides: PNG bytes named akte.pdf are refused, next to the field.
  await citizen.getByLabel('Choose the file for: Birth certificate').setInputFiles({ name: 'akte.pdf', mimeType: 'application/pdf', buffer: PNG });
  await citizen.getByRole('button', { name: /^Upload\s*: Birth certificate$/ }).click();
  await citizen.locator('form[data-document="birth-certificate"] .field-error').getByText(/image\/png/).waitFor();
  await expect(citizen.locator('form[data-document="birth-certificate"] input[type=file][aria-invalid="true"]').count()).resolves.toBe(1);
  await checkPage(citizen, 'citizen-task-document-refused');

  await citizen.getByLabel('Choose the file for: Birth certificate').setInputFiles({ name: 'akte.pdf', mimeType: 'application/pdf', buffer: PDF });
  await citizen.getByRole('button', { name: /^Upload\s*: Birth certificate$/ }).click();
  await citizen.getByText('akte.pdf is uploaded.').waitFor();
  await citizen.getByText(/^Uploaded: akte\.pdf/).waitFor();
  await citizen.getByLabel('I have done this').check();
  await citizen.getByRole('button', { name: 'Send', exact: true }).click();
  await citizen.waitForURL(`**/journeys/${journeyId}`);
  const section = citizen.locator('section[aria-labelledby="journey-documents-title"]');
  await section.getByRole('heading', { level: 3, name: 'Birth certificate' }).waitFor({ timeout: 15_000 });
  await checkPage(citizen, 'citizen-journey-documents');

  const caseworker: Page = await newPage(f.browser);
  await signIn(caseworker, f.stack.consoleUrl, { role: 'caseworker', agency: f.agencies.bank, name: 'An Peeters' }, `/journeys/${journeyId}`);
  const list = caseworker.locator('section[aria-labelledby="journey-documents-title"]');
  await list.getByText('akte.pdf · PDF').waitFor({ timeout: 15_000 });
  await checkPage(caseworker, 'caseworker-journey-documents');
  const [download] = await Promise.all([caseworker.waitForEvent('download'), list.getByRole('button', { name: /^Download\s*: Birth certificate$/ }).click()]);
  expect(download.suggestedFilename()).toBe('akte.pdf');
});
