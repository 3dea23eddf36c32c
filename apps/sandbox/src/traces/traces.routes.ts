import express, { Router, type Request, type Response } from 'express';
import { problem, sendProblem } from '../http/problem';
import type { StoredSpan, TraceStore } from './trace-store';

const escape = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The OTLP/HTTP receiver (`POST /otlp/v1/traces`, JSON encoding) the platform's processes export
 * to in development, and where a person looks at what arrived: `GET /traces` (a page: recent
 * traces, or a journey's with `?journey=<id>`; `/traces/<trace id>` shows its spans as a tree) and
 * the same as JSON under `/_sandbox/traces`.
 */
export function traceRoutes(store: TraceStore): Router {
  const router = Router();

  // Its own body limit: a batch of spans is bigger than the sandbox's other requests.
  router.post('/otlp/v1/traces', express.json({ limit: '16mb', type: ['application/json', 'application/*+json'] }), (req: Request, res: Response) => {
    if (!req.is(['application/json', 'application/*+json'])) {
      return sendProblem(res, problem(415, 'otlp-protobuf', 'The sandbox receives OTLP in its JSON encoding only: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json (the platform exports JSON).'));
    }
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      return sendProblem(res, problem(400, 'otlp-body', 'The body must be an OTLP ExportTraceServiceRequest: { resourceSpans: [...] }.'));
    }
    const { rejected } = store.add(req.body);
    res.json(rejected ? { partialSuccess: { rejectedSpans: rejected, errorMessage: 'spans without a valid hex traceId/spanId were dropped' } } : { partialSuccess: {} });
  });

  router.get('/_sandbox/traces', (req, res) => {
    const journeyId = typeof req.query.journeyId === 'string' ? req.query.journeyId : undefined;
    const limit = Math.min(500, Math.max(1, Number(req.query.limit) || 50));
    res.json({ traces: store.list({ journeyId, limit }), stored: store.size });
  });

  router.get('/_sandbox/traces/:traceId', (req, res) => {
    const spans = store.trace(req.params.traceId);
    if (!spans.length) return sendProblem(res, problem(404, 'trace-not-found', `No span of trace ${req.params.traceId} is kept (unknown, not exported yet, or dropped as the store filled).`));
    res.json({ ...store.summary(req.params.traceId), spans });
  });

  router.delete('/_sandbox/traces', (_req, res) => {
    store.clear();
    res.status(204).end();
  });

  router.get('/traces', (req, res) => {
    const journey = typeof req.query.journey === 'string' ? req.query.journey.trim() : '';
    const traces = store.list({ journeyId: journey || undefined, limit: 100 });
    const rows = traces
      .map((t) => `<tr><td><a href="/traces/${t.traceId}"><code>${t.traceId}</code></a></td><td>${escape(t.root)}</td><td>${escape(t.services.join(', '))}</td><td>${t.spans}</td><td>${escape(t.start)}</td><td>${t.durationMs} ms</td><td>${t.journeyIds.map((j) => `<a href="/traces?journey=${encodeURIComponent(j)}">${escape(j)}</a>`).join(' ')}</td></tr>`)
      .join('');
    page(res, journey ? `Traces of journey ${journey}` : 'Recent traces', `
      <form method="get" action="/traces"><label for="journey">Journey id</label> <input id="journey" name="journey" value="${escape(journey)}" size="40"> <button>Find</button></form>
      <table><thead><tr><th>trace</th><th>root span</th><th>services</th><th>spans</th><th>start</th><th>duration</th><th>journeys</th></tr></thead><tbody>${rows || '<tr><td colspan="7">No trace yet.</td></tr>'}</tbody></table>`);
  });

  router.get('/traces/:traceId', (req, res) => {
    const spans = store.trace(req.params.traceId);
    if (!spans.length) return sendProblem(res, problem(404, 'trace-not-found', `No span of trace ${req.params.traceId} is kept.`));
    const start = spans[0].start;
    const total = Math.max(1, Math.max(...spans.map((s) => s.end)) - start);
    const rows = tree(spans)
      .map(({ span, depth }) => {
        const left = ((span.start - start) / total) * 100;
        const width = Math.max(0.5, (span.durationMs / total) * 100);
        const attrs = Object.entries(span.attributes).map(([k, v]) => `${escape(k)}=${escape(JSON.stringify(v))}`).join('\n');
        return `<tr${span.status.code === 2 ? ' class="error"' : ''}><td style="padding-left:${depth * 1.2 + 0.3}em" title="${attrs}">${escape(span.name)}</td><td>${escape(span.service)}</td><td>${span.durationMs.toFixed(1)} ms</td><td class="bar"><span style="margin-left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></span></td></tr>`;
      })
      .join('');
    page(res, `Trace ${req.params.traceId}`, `<p><a href="/traces">All traces</a> · <a href="/_sandbox/traces/${escape(req.params.traceId)}">JSON</a></p>
      <table><thead><tr><th>span</th><th>service</th><th>duration</th><th>timeline</th></tr></thead><tbody>${rows}</tbody></table>`);
  });

  return router;
}

/** Spans in tree order (children under their parent, by start), with their depth; orphans at the top. */
function tree(spans: StoredSpan[]): Array<{ span: StoredSpan; depth: number }> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, StoredSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: Array<{ span: StoredSpan; depth: number }> = [];
  const walk = (parent: string, depth: number) => {
    for (const s of children.get(parent) ?? []) {
      out.push({ span: s, depth });
      walk(s.spanId, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

function page(res: Response, title: string, body: string) {
  res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)} · sandbox</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#1b1b1b}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #ddd;vertical-align:top}
td.bar{width:40%}td.bar span{display:block;height:.9em;background:#2f6fb3}tr.error td{color:#a00}tr.error td.bar span{background:#a00}code{font-size:12px}</style></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`);
}
