import { randomUUID } from 'node:crypto';
import { pollUntil } from '../support/poll';
import type { BrowserFixture } from './fixture';

/** What the browser suites add to the fixture's catalog: steps and life events of their own. */

export const titles = (en: string, nl: string) => ({ nl, fr: `${en} (fr)`, de: `${en} (de)`, en });

/** Registers and publishes version 1 of a step of `agency`. */
export async function publishStep(f: BrowserFixture, agency: string, body: Record<string, unknown>): Promise<void> {
  expect((await f.admin.post(`/agencies/${agency}/steps`, body)).status).toBe(201);
  expect((await f.admin.post(`/agencies/${agency}/steps/${body.key}/versions/1/publish`)).status).toBe(200);
}

/** Registers and publishes version 1 of a citizen's life event. */
export async function publishLifeEvent(f: BrowserFixture, key: string, lifeEventTitles: Record<string, string>, nodes: unknown[]): Promise<void> {
  expect((await f.admin.post('/life-events', { key, audience: 'citizen', titles: lifeEventTitles, nodes })).status).toBe(201);
  expect((await f.admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);
}

/** `citizen` starts their own journey of `lifeEvent` (version 1): its id. */
export async function startJourneyOf(f: BrowserFixture, lifeEvent: string, citizen: string): Promise<string> {
  const subject = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: citizen }));
  const started = await subject.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: citizen } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  return started.body.id;
}

/** The counter's automatic registration `undoable-register`, which the sandbox undoes at its compensation endpoint. */
export function undoableRegister(f: BrowserFixture, title: ReturnType<typeof titles>) {
  const service = `${f.stack.sandboxUrl}/agencies/${f.agencies.counter}/undoable-register`;
  return {
    key: 'undoable-register',
    kind: 'automatic',
    titles: title,
    endpoint: service,
    serviceNorm: { target: 'P1D' },
    retry: { maximumAttempts: 2, initialInterval: 'PT0.2S', backoffCoefficient: 1, maximumInterval: 'PT1S' },
    compensation: { endpoint: `${service}/compensate` },
  };
}

/**
 * A municipality caseworker's review in team `intake` that escalates after 2 s, in a life event of
 * its own that `citizen` starts: the review task's id, once the supervisor was told it escalated.
 */
export async function escalatedReviewTask(f: BrowserFixture, citizen: string): Promise<string> {
  const agency = f.agencies.municipality;
  const reviewTitles = { nl: 'Aanvraag nakijken', fr: 'Vérifier la demande', de: 'Antrag prüfen', en: 'Review the application' };
  const key = `review-${f.run}`;
  await publishStep(f, agency, { key, kind: 'caseworker', titles: reviewTitles, serviceNorm: { target: 'PT1S', escalate: 'PT2S' }, team: 'intake' });
  const lifeEvent = `review-${f.run}`;
  await publishLifeEvent(f, lifeEvent, { nl: 'Nakijken', en: 'Review' }, [{ key: 'review', step: { agency, key, version: 1 } }]);
  const subject = f.stack.api.as(await f.stack.token({ role: 'citizen', nationalNumber: citizen }));
  const started = await subject.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: citizen } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const supervisor = f.stack.api.as(await f.stack.token({ role: 'supervisor', agency }));
  await pollUntil('the escalation notice', async () => ((await supervisor.get('/supervision/notices')).body.items?.length ? true : undefined), { timeoutMs: 60_000 });
  return `${started.body.id}.review`;
}
