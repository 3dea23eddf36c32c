import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

type Redact = (text: string) => string;

/** Only strings with a digit or an @ can hold a number or an address to hide. */
const redactValue = (redact: Redact, v: unknown): unknown => {
  if (typeof v === 'string') return /[\d@]/.test(v) ? redact(v) : v;
  if (Array.isArray(v)) return v.map((x) => redactValue(redact, x));
  return v;
};

function redactAttributes<T extends object | undefined>(redact: Redact, attributes: T): T {
  if (!attributes) return attributes;
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, redactValue(redact, v)])) as T;
}

/**
 * No personal data leaves the process in a span: every string of an ended span (its name, its
 * attributes such as `http.target` or `url.full`, its events' and status' messages) passes the
 * logs' redactor before the exporting processor sees it. The span itself is left as it is.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(
    private readonly inner: SpanProcessor,
    private readonly redact: Redact,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const redact = this.redact;
    // A view of the span with its strings redacted; methods (spanContext) come from the span.
    const view: ReadableSpan = Object.create(span, {
      name: { value: redactValue(redact, span.name) },
      attributes: { value: redactAttributes(redact, span.attributes) },
      status: { value: span.status.message ? { ...span.status, message: redact(span.status.message) } : span.status },
      events: { value: span.events.map((e) => ({ ...e, attributes: redactAttributes(redact, e.attributes) })) },
    });
    this.inner.onEnd(view);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
