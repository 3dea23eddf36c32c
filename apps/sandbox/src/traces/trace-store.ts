/**
 * Recent spans received over OTLP/HTTP (JSON), in memory and bounded: the development stand-in
 * for a tracing backend. Spans are grouped by trace; traces are found by the journey id
 * attribute (`levensloop.journey.id`) or the Temporal workflow id (`journey-<id>`) of any span.
 */

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: number | string; doubleValue?: number; arrayValue?: { values?: AnyValue[] }; kvlistValue?: { values?: KeyValue[] } };
interface KeyValue {
  key: string;
  value?: AnyValue;
}
type Nanos = number | string | { low: number; high: number };
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: Nanos;
  endTimeUnixNano?: Nanos;
  attributes?: KeyValue[];
  status?: { code?: number; message?: string };
  links?: Array<{ traceId?: string; spanId?: string; attributes?: KeyValue[] }>;
}
/** The body of `POST /v1/traces` in OTLP's JSON encoding (ids in hex). */
export interface OtlpTraceRequest {
  resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ scope?: { name?: string }; spans?: OtlpSpan[] }> }>;
}

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  scope?: string;
  kind: number;
  /** Milliseconds since the epoch (fractional). */
  start: number;
  end: number;
  durationMs: number;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  links: Array<{ traceId: string; spanId: string }>;
}

export interface TraceSummary {
  traceId: string;
  root: string;
  services: string[];
  spans: number;
  start: string;
  durationMs: number;
  journeyIds: string[];
}

const JOURNEY_ATTRIBUTE = 'levensloop.journey.id';
const WORKFLOW_ATTRIBUTE = 'temporalWorkflowId';

function valueOf(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(valueOf);
  if (v.kvlistValue) return attributesOf(v.kvlistValue.values);
  return undefined;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) if (typeof kv?.key === 'string') out[kv.key] = valueOf(kv.value);
  return out;
}

function millis(n: Nanos | undefined): number {
  if (n === undefined) return 0;
  if (typeof n === 'object') return ((n.high >>> 0) * 2 ** 32 + (n.low >>> 0)) / 1e6;
  return Number(n) / 1e6;
}

const HEX = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);
const TRACE_ID = HEX(32);
const SPAN_ID = HEX(16);

export class TraceStore {
  /** Insertion order is age: the oldest trace goes first when the store is full. */
  private readonly traces = new Map<string, StoredSpan[]>();
  private readonly byJourney = new Map<string, Set<string>>();
  private spanCount = 0;

  constructor(private readonly maxSpans = 20_000) {}

  /** Adds what one export carried; returns how many spans were taken and how many refused (bad ids). */
  add(request: OtlpTraceRequest): { accepted: number; rejected: number } {
    let accepted = 0;
    let rejected = 0;
    for (const rs of request.resourceSpans ?? []) {
      const resource = attributesOf(rs.resource?.attributes);
      const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown';
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          const traceId = s.traceId?.toLowerCase() ?? '';
          const spanId = s.spanId?.toLowerCase() ?? '';
          if (!TRACE_ID.test(traceId) || !SPAN_ID.test(spanId)) {
            rejected++;
            continue;
          }
          const start = millis(s.startTimeUnixNano);
          const end = millis(s.endTimeUnixNano);
          const span: StoredSpan = {
            traceId,
            spanId,
            ...(s.parentSpanId && SPAN_ID.test(s.parentSpanId.toLowerCase()) ? { parentSpanId: s.parentSpanId.toLowerCase() } : {}),
            name: String(s.name ?? ''),
            service,
            ...(ss.scope?.name ? { scope: ss.scope.name } : {}),
            kind: Number(s.kind ?? 0),
            start,
            end,
            durationMs: Math.max(0, end - start),
            attributes: attributesOf(s.attributes),
            status: { code: Number(s.status?.code ?? 0), ...(s.status?.message ? { message: s.status.message } : {}) },
            links: (s.links ?? []).filter((l) => l.traceId && l.spanId).map((l) => ({ traceId: l.traceId!.toLowerCase(), spanId: l.spanId!.toLowerCase() })),
          };
          this.insert(span);
          accepted++;
        }
      }
    }
    return { accepted, rejected };
  }

  private insert(span: StoredSpan) {
    let spans = this.traces.get(span.traceId);
    if (!spans) this.traces.set(span.traceId, (spans = []));
    spans.push(span);
    this.spanCount++;
    for (const id of journeyIdsOf(span)) {
      let set = this.byJourney.get(id);
      if (!set) this.byJourney.set(id, (set = new Set()));
      set.add(span.traceId);
    }
    while (this.spanCount > this.maxSpans && this.traces.size > 1) this.evictOldest();
  }

  private evictOldest() {
    const [traceId, spans] = this.traces.entries().next().value as [string, StoredSpan[]];
    this.traces.delete(traceId);
    this.spanCount -= spans.length;
    for (const span of spans) {
      for (const id of journeyIdsOf(span)) {
        const set = this.byJourney.get(id);
        set?.delete(traceId);
        if (set && !set.size) this.byJourney.delete(id);
      }
    }
  }

  /** The spans of one trace, oldest first (none: unknown or dropped). */
  trace(traceId: string): StoredSpan[] {
    return [...(this.traces.get(traceId.toLowerCase()) ?? [])].sort((a, b) => a.start - b.start);
  }

  /** Newest traces first; of one journey when asked. */
  list(filter: { journeyId?: string; limit?: number } = {}): TraceSummary[] {
    const ids = filter.journeyId ? [...(this.byJourney.get(filter.journeyId) ?? [])] : [...this.traces.keys()];
    return ids
      .map((id) => this.summary(id))
      .filter((s): s is TraceSummary => s !== undefined)
      .sort((a, b) => b.start.localeCompare(a.start))
      .slice(0, filter.limit ?? 50);
  }

  summary(traceId: string): TraceSummary | undefined {
    const spans = this.trace(traceId);
    if (!spans.length) return undefined;
    const ids = new Set(spans.map((s) => s.spanId));
    const root = spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId)) ?? spans[0];
    const start = Math.min(...spans.map((s) => s.start));
    const end = Math.max(...spans.map((s) => s.end));
    return {
      traceId,
      root: `${root.service}: ${root.name}`,
      services: [...new Set(spans.map((s) => s.service))],
      spans: spans.length,
      start: new Date(start).toISOString(),
      durationMs: Math.round((end - start) * 10) / 10,
      journeyIds: [...new Set(spans.flatMap(journeyIdsOf))],
    };
  }

  get size(): { traces: number; spans: number } {
    return { traces: this.traces.size, spans: this.spanCount };
  }

  clear(): void {
    this.traces.clear();
    this.byJourney.clear();
    this.spanCount = 0;
  }
}

function journeyIdsOf(span: StoredSpan): string[] {
  const ids: string[] = [];
  const journey = span.attributes[JOURNEY_ATTRIBUTE];
  if (typeof journey === 'string') ids.push(journey);
  const workflow = span.attributes[WORKFLOW_ATTRIBUTE];
  if (typeof workflow === 'string' && workflow.startsWith('journey-')) ids.push(workflow.slice('journey-'.length));
  return ids;
}
