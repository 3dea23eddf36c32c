import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { startStack } from '../support/stack';
import { launchBrowser } from '../support/browser';

const titles = (en: string, nl: string) => ({ nl, fr: `${en} (fr)`, de: `${en} (de)`, en });

/**
 * The whole stack with the console, a browser, and a small catalog: a register call (automatic),
 * a licence a municipality caseworker reviews, and a bank account the citizen opens.
 */
export async function browserFixture(name: string) {
  const run = randomUUID().slice(0, 6);
  const db = await createTestDatabase(`browser_${name.replace(/\W/g, '_')}`);
  const stack = await startStack(db.url, `browser-${name}`, { console: true });
  const browser = await launchBrowser();
  const admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  // Journeys are personal data: auditors read them, catalog admins do not.
  const auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  const agencies = { counter: `counter-${run}`, municipality: `municipality-${run}`, bank: `bank-${run}` };
  const lifeEvent = `start-business-${run}`;

  const step = async (agency: string, body: Record<string, unknown>) => {
    const created = await admin.post(`/agencies/${agency}/steps`, body);
    if (created.status !== 201) throw new Error(`step ${body.key}: ${created.status} ${JSON.stringify(created.body)}`);
    const published = await admin.post(`/agencies/${agency}/steps/${body.key}/versions/${created.body.version}/publish`);
    if (published.status !== 200) throw new Error(`publish ${body.key}: ${published.status}`);
  };
  for (const [code, en] of [[agencies.counter, 'Enterprise counter'], [agencies.municipality, 'Municipality'], [agencies.bank, 'Bank']]) {
    const res = await admin.post('/agencies', { code, names: titles(en, en), endpointHosts: [stack.sandboxHost] });
    if (res.status !== 201) throw new Error(`agency ${code}: ${res.status}`);
  }
  await step(agencies.counter, { key: 'register-enterprise', kind: 'automatic', titles: titles('Register the enterprise', 'Onderneming inschrijven'), endpoint: `${stack.sandboxUrl}/agencies/${agencies.counter}/register-enterprise`, outputs: [{ name: 'reference', type: 'string' }], serviceNorm: { target: 'P1D' }, retry: { maximumAttempts: 2, initialInterval: 'PT0.2S', backoffCoefficient: 1, maximumInterval: 'PT1S' } });
  await step(agencies.municipality, { key: 'alcohol-permit', kind: 'caseworker', titles: titles('Licence to serve alcohol', 'Vergunning voor alcohol'), serviceNorm: { target: 'P30D', warn: 'P20D', escalate: 'P40D' } });
  await step(agencies.bank, { key: 'open-account', kind: 'citizen', titles: titles('Open a business account', 'Zichtrekening openen'), serviceNorm: { target: 'P14D' } });
  const created = await admin.post('/life-events', {
    key: lifeEvent,
    audience: 'citizen',
    titles: titles('Start a business', 'Een zaak starten'),
    nodes: [
      { key: 'register', step: { agency: agencies.counter, key: 'register-enterprise', version: 1 } },
      { key: 'permit', step: { agency: agencies.municipality, key: 'alcohol-permit', version: 1 }, dependsOn: ['register'] },
      { key: 'account', step: { agency: agencies.bank, key: 'open-account', version: 1 }, dependsOn: ['register'] },
    ],
  });
  if (created.status !== 201) throw new Error(`life event: ${created.status} ${JSON.stringify(created.body)}`);
  if ((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status !== 200) throw new Error('publish life event');

  /** Starts the journey as the citizen and waits until the licence and the account wait for people. */
  const startJourney = async (subject: string) => {
    const citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: subject }));
    const res = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: subject } }, { 'idempotency-key': randomUUID() });
    if (res.status !== 201) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
    const id: string = res.body.id;
    await pollUntil('the licence and the account to wait', async () => {
      const j = (await auditor.get(`/journeys/${id}`)).body;
      const status = (key: string) => j.steps.find((s: { key: string }) => s.key === key)?.status;
      return status('permit') === 'waiting' && status('account') === 'waiting';
    }, { timeoutMs: 60_000 });
    return id;
  };

  return {
    run,
    db,
    stack,
    browser: browser as Browser,
    admin: admin as Api,
    auditor: auditor as Api,
    agencies,
    lifeEvent,
    startJourney,
    async stop() {
      await browser.close().catch(() => undefined);
      await stack.stop();
      await db.drop();
    },
  };
}

export type BrowserFixture = Awaited<ReturnType<typeof browserFixture>>;
