/**
 * One trace across the whole journey, on the whole stack (real Temporal, PostgreSQL and HTTP):
 * a citizen's `POST /journeys` (the gateway's server span) starts the workflow (StartWorkflow →
 * RunWorkflow in the worker), whose automatic step calls the agency (the sandbox's agency gets a
 * `traceparent` of that trace), and the message the journey files is delivered by the dispatcher
 * (its send span continues the trace the projection stored with the message). Every process
 * exports to the sandbox's OTLP receiver, as `npm start` has them do.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { CatalogService } from '@levensloop/catalog';
import { createDataSource } from '@levensloop/persistence';
import { tracingWorkerOptions } from '@levensloop/telemetry';
import { connectClient, dataConverter } from '@levensloop/temporal';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { testTemporalConfig } from '../support/temporal';
import { agencyCalls, sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 6);
const agency = `traced-${run}`;
const service = 'register-request';
const lifeEventKey = `traced-${run}`;
const titles = (nl: string) => ({ nl, en: nl });

let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let citizen: Api;
let subject: string;

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string }>;
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_tracing');
  stack = await startStack(db.url, 'tracing', { dispatcher: true });
  const admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  const agencyAdmin = stack.api.as(await stack.token({ role: 'agency-admin', agency, sub: 'agency-admin' }));
  expect((await admin.post('/agencies', { code: agency, names: titles('Traced agency'), endpointHosts: [stack.sandboxHost] })).status).toBe(201);
  const step = { key: service, kind: 'automatic', titles: titles('Aanvraag registreren'), endpoint: `${stack.sandboxUrl}/agencies/${agency}/${service}`, serviceNorm: { target: 'P1D' } };
  const created = await agencyAdmin.post(`/agencies/${agency}/steps`, step);
  expect(created.status).toBe(201);
  expect((await agencyAdmin.post(`/agencies/${agency}/steps/${service}/versions/${created.body.version}/publish`)).status).toBe(200);
  expect((await admin.post('/life-events', { key: lifeEventKey, audience: 'citizen', titles: titles('Gevolgde aanvraag'), nodes: [{ key: 'register', step: { agency, key: service, version: 1 } }] })).status).toBe(201);
  expect((await admin.post(`/life-events/${lifeEventKey}/versions/1/publish`)).status).toBe(200);
  // A person of the sandbox's register with an e-mail address: the dispatcher has somewhere to send to.
  const examples = await sandboxRequest(stack, 'GET', '/_sandbox/population/examples');
  subject = examples.flemishCouple.parents[0];
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: subject, sub: `citizen-${run}` }));
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const traceIdOf = (traceparent: string) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent)?.[1];

test('one trace links the start, the workflow, the agency call and the delivery of the message it caused', async () => {
  const started = await citizen.post('/journeys', { lifeEvent: { key: lifeEventKey }, subject: { type: 'person', id: subject }, data: {} }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const journeyId: string = started.body.id;

  // The journey runs to its end (RunWorkflow's span ends with the workflow, and is exported then).
  await pollUntil('the journey to complete', async () => (await citizen.get(`/journeys/${journeyId}`)).body?.status === 'completed', { timeoutMs: 60_000 });

  // The agency was called with the trace context of the journey.
  const [call] = await agencyCalls(stack, agency, service);
  const traceparent = (call as { traceparent?: string }).traceparent;
  expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const traceId = traceIdOf(traceparent!)!;

  // The sandbox's trace store, found by the journey id, holds the start, the workflow and a send.
  const spans = await pollUntil('the journey trace with the start, the workflow and a send', async () => {
    const found = await sandboxRequest(stack, 'GET', `/_sandbox/traces?journeyId=${journeyId}`);
    if (!found.traces.some((t: { traceId: string }) => t.traceId === traceId)) return undefined;
    const trace = await sandboxRequest(stack, 'GET', `/_sandbox/traces/${traceId}`);
    const all = trace.spans as Span[];
    const names = new Set(all.map((s) => s.name));
    return names.has('POST /journeys') && names.has('RunWorkflow:journeyWorkflow') && all.some((s) => s.name.startsWith('notification.send')) ? all : undefined;
  }, { timeoutMs: 60_000, intervalMs: 500 });

  const byName = (name: string) => spans.filter((s) => s.name === name);
  const [start] = byName('POST /journeys');
  expect(start).toMatchObject({ service: 'levensloop-gateway', attributes: expect.objectContaining({ 'levensloop.journey.id': journeyId, 'http.route': '/journeys' }) });
  expect(start.parentSpanId).toBeUndefined();
  // StartWorkflow (gateway's Temporal client) under the request; RunWorkflow (worker) under StartWorkflow.
  const [startWorkflow] = byName('StartWorkflow:journeyWorkflow');
  expect(startWorkflow).toMatchObject({ service: 'levensloop-gateway', parentSpanId: start.spanId });
  const [runWorkflow] = byName('RunWorkflow:journeyWorkflow');
  expect(runWorkflow).toMatchObject({ service: 'levensloop-worker', parentSpanId: startWorkflow.spanId });
  // The agency call's activity ran in the workflow's trace, and its span is an ancestor of the traceparent the agency got.
  const callAgency = byName('RunActivity:callAgency');
  expect(callAgency.length).toBeGreaterThanOrEqual(1);
  const bySpanId = new Map(spans.map((s) => [s.spanId, s]));
  const ancestors = (span: Span | undefined): string[] => (span ? [span.name, ...ancestors(span.parentSpanId ? bySpanId.get(span.parentSpanId) : undefined)] : []);
  const agencySpanId = traceparent!.split('-')[2];
  expect(ancestors(bySpanId.get(agencySpanId))).toEqual(expect.arrayContaining(['RunActivity:callAgency', 'RunWorkflow:journeyWorkflow', 'POST /journeys']));
  // The dispatcher's send continues the trace the projection stored with the message.
  const sends = spans.filter((s) => s.name.startsWith('notification.send'));
  for (const send of sends) {
    expect(send).toMatchObject({ service: 'levensloop-dispatcher', traceId, attributes: expect.objectContaining({ 'levensloop.journey.id': journeyId, 'levensloop.delivery.result': expect.any(String) }) });
    expect(ancestors(send)).toEqual(expect.arrayContaining(['RunWorkflow:journeyWorkflow', 'POST /journeys']));
  }
  // Every span is of this one trace.
  expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));

  // No national number leaves a process in a span: a search by subject shows its pseudonym.
  expect(JSON.stringify(spans)).not.toContain(subject);
  const auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  expect((await auditor.get(`/journeys?subject=${subject}`)).status).toBe(200);
  const search = await pollUntil('the search request traced', async () => {
    const { traces } = await sandboxRequest(stack, 'GET', '/_sandbox/traces?limit=500');
    const found = (traces as Array<{ traceId: string; root: string }>).find((t) => t.root === 'levensloop-gateway: GET /journeys');
    return found ? ((await sandboxRequest(stack, 'GET', `/_sandbox/traces/${found.traceId}`)).spans as Span[]) : undefined;
  });
  expect(JSON.stringify(search)).not.toContain(subject);
  expect(String(search[0].attributes['http.target'])).toMatch(/^\/journeys\?subject=nn:[0-9a-f]{16}$/);

  // The page a person looks at lists the journey's trace.
  const page = await (await fetch(`${stack.sandboxUrl}/traces?journey=${journeyId}`)).text();
  expect(page).toContain(traceId);
  // The trace travels in Temporal's headers, and the traced history replays with the workflow
  // code as bundled (the tracing interceptors add no command and change no order).
  const client = await connectClient(testTemporalConfig());
  try {
    const history = await client.workflow.getHandle(`journey-${journeyId}`).fetchHistory();
    const scheduled = history.events!.filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled.length).toBeGreaterThanOrEqual(1);
    for (const e of scheduled) expect(Object.keys(e.activityTaskScheduledEventAttributes!.header?.fields ?? {})).toContain('_tracer-data');
    await Worker.runReplayHistory({ workflowBundle: { codePath: path.resolve(__dirname, '../../dist/workflows/journey-workflows.bundle.js') }, replayName: 'traced', sinks: tracingWorkerOptions().sinks, dataConverter: dataConverter(testTemporalConfig()) }, history);
  } finally {
    await client.connection.close();
  }
  console.log(`traced journey ${journeyId}, trace ${traceId}:\n${[...new Set(spans.map((s) => `${s.service}: ${s.name}`))].join('\n')}`);
});

test("a journey a register's event starts is traced from the event's POST /events through the source-event workflow", async () => {
  // The example catalog: "birth of a child" starts when the national register reports a birth.
  const ds = createDataSource(db.url);
  await ds.initialize();
  try {
    await new CatalogService(ds).applyDefinitions(path.resolve(__dirname, '../../infra/catalog'), { env: { SANDBOX_URL: stack.sandboxUrl } });
  } finally {
    await ds.destroy();
  }
  const examples = await sandboxRequest(stack, 'GET', '/_sandbox/population/examples');
  const published = await sandboxRequest(stack, 'POST', '/_sandbox/events/births', { parents: examples.singleParent.parents });
  const child: string = published.event.data.child.nationalNumber;
  const auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  const journey = await pollUntil('the birth journey', async () => {
    const res = await auditor.get(`/journeys?subject=${child}&lifeEvent=birth-of-a-child`);
    return res.status === 200 && res.body.items.length === 1 ? res.body.items[0] : undefined;
  });
  const names = await pollUntil("the event's trace reaching the journey's activities", async () => {
    const { traces } = await sandboxRequest(stack, 'GET', `/_sandbox/traces?journeyId=${journey.id}`);
    for (const t of traces as Array<{ traceId: string }>) {
      const spans = (await sandboxRequest(stack, 'GET', `/_sandbox/traces/${t.traceId}`)).spans as Span[];
      const found = new Set(spans.map((sp) => sp.name));
      if (found.has('POST /events') && found.has('StartWorkflow:journeyWorkflow') && found.has('RunActivity:projectJourney')) return found;
    }
    return undefined;
  }, { timeoutMs: 60_000, intervalMs: 500 });
  expect([...names]).toEqual(expect.arrayContaining(['POST /events', 'StartWorkflow:sourceEventWorkflow', 'RunWorkflow:sourceEventWorkflow', 'RunActivity:launchEventJourney', 'StartWorkflow:journeyWorkflow']));
  console.log(`traced birth journey ${journey.id}:\n${[...names].join('\n')}`);
});
