import { startSandbox, type RunningSandbox } from '../app';
import { TraceStore, type OtlpTraceRequest } from './trace-store';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const OTHER = '4bf92f3577b34da6a3ce929d0e0e4736';
const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** An export as @opentelemetry/exporter-trace-otlp-http sends it in JSON (hex ids, nanosecond times as strings). */
function exportOf(service: string, spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; startMs: number; attributes?: Array<ReturnType<typeof kv>> }>): OtlpTraceRequest {
  return {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', service)] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s) => ({ ...s, kind: 2, startTimeUnixNano: String(s.startMs * 1e6), endTimeUnixNano: String((s.startMs + 5) * 1e6), attributes: s.attributes ?? [], status: { code: 0 } })),
          },
        ],
      },
    ],
  };
}

describe('TraceStore', () => {
  it("groups spans by trace and finds a journey's traces by its id or its workflow id", () => {
    const store = new TraceStore();
    store.add(exportOf('levensloop-gateway', [{ traceId: TRACE, spanId: 'a1a1a1a1a1a1a1a1', name: 'POST /journeys', startMs: 1000, attributes: [kv('levensloop.journey.id', 'j-1')] }]));
    store.add(exportOf('levensloop-worker', [{ traceId: TRACE, spanId: 'b2b2b2b2b2b2b2b2', parentSpanId: 'a1a1a1a1a1a1a1a1', name: 'RunWorkflow:journeyWorkflow', startMs: 1002 }]));
    store.add(exportOf('levensloop-worker', [{ traceId: OTHER, spanId: 'c3c3c3c3c3c3c3c3', name: 'RunWorkflow:journeyWorkflow', startMs: 2000, attributes: [kv('temporalWorkflowId', 'journey-j-2')] }]));
    expect(store.list({ journeyId: 'j-1' })).toEqual([
      { traceId: TRACE, root: 'levensloop-gateway: POST /journeys', services: ['levensloop-gateway', 'levensloop-worker'], spans: 2, start: new Date(1000).toISOString(), durationMs: 7, journeyIds: ['j-1'] },
    ]);
    expect(store.list({ journeyId: 'j-2' }).map((t) => t.traceId)).toEqual([OTHER]);
    expect(store.trace(TRACE).map((s) => [s.service, s.name, s.parentSpanId])).toEqual([
      ['levensloop-gateway', 'POST /journeys', undefined],
      ['levensloop-worker', 'RunWorkflow:journeyWorkflow', 'a1a1a1a1a1a1a1a1'],
    ]);
  });

  it('keeps at most its bound, dropping the oldest traces (and their journey index) first', () => {
    const store = new TraceStore(3);
    const ids = ['1', '2', '3', '4'].map((d) => d.repeat(32));
    ids.forEach((traceId, i) => store.add(exportOf('s', [{ traceId, spanId: `${i + 1}`.repeat(16), name: `span ${i}`, startMs: i, attributes: [kv('levensloop.journey.id', `j-${i}`)] }])));
    expect(store.size).toEqual({ traces: 3, spans: 3 });
    expect(store.trace(ids[0])).toEqual([]);
    expect(store.list({ journeyId: 'j-0' })).toEqual([]);
    expect(store.list({ journeyId: 'j-3' })).toHaveLength(1);
  });

  it('refuses spans without valid ids, and counts them', () => {
    const store = new TraceStore();
    expect(store.add(exportOf('s', [{ traceId: 'not-hex', spanId: 'a1a1a1a1a1a1a1a1', name: 'x', startMs: 0 }]))).toEqual({ accepted: 0, rejected: 1 });
  });
});

describe('the OTLP receiver', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  it('takes OTLP/HTTP JSON at /otlp/v1/traces and shows the trace as JSON and as a page', async () => {
    const body = exportOf('levensloop-gateway', [{ traceId: TRACE, spanId: 'a1a1a1a1a1a1a1a1', name: 'POST /journeys', startMs: 1000, attributes: [kv('levensloop.journey.id', 'j-9')] }]);
    const res = await fetch(`${sandbox.url}/otlp/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ partialSuccess: {} });
    const list: any = await (await fetch(`${sandbox.url}/_sandbox/traces?journeyId=j-9`)).json();
    expect(list.traces.map((t: { traceId: string }) => t.traceId)).toEqual([TRACE]);
    const trace: any = await (await fetch(`${sandbox.url}/_sandbox/traces/${TRACE}`)).json();
    expect(trace.spans.map((s: { name: string }) => s.name)).toEqual(['POST /journeys']);
    const page = await (await fetch(`${sandbox.url}/traces/${TRACE}`)).text();
    expect(page).toContain('POST /journeys');
    expect(await (await fetch(`${sandbox.url}/traces?journey=j-9`)).text()).toContain(TRACE);
  });

  it('answers protobuf with 415 (the platform exports JSON) and an unknown trace with 404, as problem+json', async () => {
    const proto = await fetch(`${sandbox.url}/otlp/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([1, 2, 3]) });
    expect(proto.status).toBe(415);
    expect(proto.headers.get('content-type')).toContain('application/problem+json');
    expect(((await proto.json()) as any).detail).toContain('OTEL_EXPORTER_OTLP_PROTOCOL=http/json');
    const missing = await fetch(`${sandbox.url}/_sandbox/traces/${OTHER}`);
    expect(missing.status).toBe(404);
  });
});
