import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { RedactingSpanProcessor } from './redacting-processor';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** What startTracing needs (libs/config's TelemetryConfig has this shape). */
export interface TracingSettings {
  /** The OTLP/HTTP traces endpoint; none: tracing is off (nothing patched, no span made). */
  endpoint?: string;
  headers?: Record<string, string>;
  sampleRatio?: number;
  environment?: string;
  /** Applied to every string of an exported span (libs/config gives the logs' redactor). */
  redact?: (text: string) => string;
}

/** One process's tracing: what Temporal's worker interceptors export workflow spans through. */
export interface Tracing {
  serviceName: string;
  /** Whether spans leave the process. */
  exporting: boolean;
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Exports what is left; call before the process exits. */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/** Paths never traced: probes and scrapes would bury the journeys. */
const QUIET_PATHS = new Set(['/health', '/metrics', '/favicon.ico']);

/**
 * Starts tracing once per process, before the modules the instrumentation patches are loaded
 * (node:http, pg): a W3C trace-context propagator, spans batched to the OTLP/HTTP endpoint
 * (JSON), http (incoming requests, outgoing calls made inside a trace) and pg (statements made
 * inside a trace) instrumented. A second call returns the first one's tracing.
 */
export function startTracing(serviceName: string, settings: TracingSettings): Tracing {
  if (started) return started;
  const off = { serviceName, exporting: false, resource: new Resource({}), spanProcessor: new NoopSpanProcessor(), shutdown: async () => undefined };
  if (!settings.endpoint) return (started = off);
  const resource = new Resource({
    [ATTR_SERVICE_NAME]: serviceName,
    [ATTR_SERVICE_VERSION]: projectVersion(),
    'deployment.environment.name': settings.environment ?? 'development',
  });
  const batch = new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.endpoint, headers: settings.headers ?? {} }), { scheduledDelayMillis: 1000 });
  // Workflow spans reach the exporter through this processor too (the worker's sink).
  const spanProcessor: SpanProcessor = settings.redact ? new RedactingSpanProcessor(batch, settings.redact) : batch;
  const provider = new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio ?? 1) }),
    spanProcessors: [spanProcessor],
  });
  // The global provider, W3C trace context and baggage propagation, an AsyncLocalStorage context.
  provider.register();
  // An unreachable collector must not flood the logs: export errors are dropped after one warning.
  diag.setLogger(onceLogger(), DiagLogLevel.WARN);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]),
        // Background work (polls, pushes outside a journey's trace) makes no trace of its own.
        requireParentforOutgoingSpans: true,
      }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  started = {
    serviceName,
    exporting: true,
    resource,
    spanProcessor,
    shutdown: () => provider.shutdown(),
  };
  return started;
}

/** The tracing this process started, if any. */
export function currentTracing(): Tracing | undefined {
  return started;
}

function onceLogger(): DiagLogger {
  let warned = false;
  const warn = (message: string, ...args: unknown[]) => {
    if (warned) return;
    warned = true;
    process.stderr.write(`${JSON.stringify({ level: 'warn', time: new Date().toISOString(), msg: `tracing: ${message} (further tracing warnings are not shown)`, detail: args.map(String).join(' ').slice(0, 500) })}\n`);
  };
  const quiet = () => undefined;
  return { error: warn, warn, info: quiet, debug: quiet, verbose: quiet };
}

function projectVersion(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'levensloop') return pkg.version ?? '0.0.0';
    }
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}
