/**
 * A life event whose step runs at the citizen's own municipality, in Chromium: the catalogue page
 * lists which municipalities offer the step and which do not yet, and the citizen's journey says
 * where the step went and why, in the citizen's language. Both pages axe clean and usable at 320 px.
 */
import { randomUUID } from 'node:crypto';
import { checkPage, newPage, signIn } from '../support/browser';
import { pollUntil } from '../support/poll';
import { sandboxRequest } from '../support/stack';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

let f: BrowserFixture;
const titles = (en: string, nl: string) => ({ nl, fr: en, de: en, en });

beforeAll(async () => {
  f = await browserFixture('routing');
});

afterAll(async () => {
  await f?.stop();
});

test('the catalogue shows who offers a step routed by municipality, and the journey says where it went', async () => {
  const key = `settle-${f.run}`;
  for (const [code, en, nis] of [[`gent-${f.run}`, 'Ghent', '44021'], [`knokke-${f.run}`, 'Knokke-Heist', '31043']]) {
    expect((await f.admin.post('/agencies', { code, names: { nl: en === 'Ghent' ? 'Gent' : en, fr: en === 'Ghent' ? 'Gand' : en, de: en === 'Ghent' ? 'Gent' : en, en }, serves: { municipality: nis } })).status).toBe(201);
  }
  const gent = `gent-${f.run}`;
  expect((await f.admin.post(`/agencies/${gent}/steps`, { key: 'register-new-resident', kind: 'caseworker', titles: titles('Registration as a new resident', 'Inschrijving als nieuwe inwoner'), serviceNorm: { target: 'P5D' } })).status).toBe(201);
  expect((await f.admin.post(`/agencies/${gent}/steps/register-new-resident/versions/1/publish`)).status).toBe(200);
  expect((await f.admin.post('/life-events', { key, audience: 'citizen', titles: titles('Settle in a municipality', 'Zich vestigen'), nodes: [{ key: 'register', step: { agencyRole: 'municipality', key: 'register-new-resident', version: 0 } }] })).status).toBe(201);
  expect((await f.admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);

  const admin = await newPage(f.browser);
  await signIn(admin, f.stack.consoleUrl, { role: 'catalog-admin', name: 'Cat Admin' }, `/catalog/life-events/${key}`);
  await admin.getByText('Offered by: Ghent (44021)').waitFor();
  expect(await admin.getByText('Not offered yet by: Knokke-Heist (31043)').count()).toBe(1);
  expect(await admin.getByText("register-new-resident, at the citizen's municipality (chosen when the step starts)").count()).toBe(1);
  await checkPage(admin, 'routing-life-event');

  const { nationalNumbers } = await sandboxRequest(f.stack, 'GET', '/_sandbox/population/persons?municipalityCode=44021&limit=1');
  const citizen = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: nationalNumbers[0] }));
  const started = await citizen.post('/journeys', { lifeEvent: { key }, subject: { type: 'person', id: nationalNumbers[0] } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  await pollUntil('the step routed to Gent', async () => ((await f.auditor.get(`/journeys/${started.body.id}`)).body.steps?.[0]?.status === 'waiting' ? true : undefined));

  const page = await newPage(f.browser, { width: 320, height: 800 });
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: nationalNumbers[0] }, `/journeys/${started.body.id}`);
  await page.getByText('Registration as a new resident: routed to Ghent (NIS 44021), from the address register').waitFor();
  await checkPage(page, 'routing-journey');
});
