import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createLogRedactor } from '@levensloop/config';
import { RedactingSpanProcessor } from './redacting-processor';

test("an exported span carries no national number, e-mail address or phone number: the logs' pseudonyms instead", () => {
  const exporter = new InMemorySpanExporter();
  const redactor = createLogRedactor('a-test-key-of-at-least-thirty-two-characters');
  const provider = new BasicTracerProvider({ spanProcessors: [new RedactingSpanProcessor(new SimpleSpanProcessor(exporter), redactor.text)] });
  const span = provider.getTracer('t').startSpan('GET /journeys?subject=85073003328', {
    attributes: { 'http.target': '/journeys?subject=85073003328', 'url.full': 'http://gw/me?mail=an.peeters@example.be', 'http.status_code': 200, list: ['+32470123456', 'plain'] },
  });
  span.recordException(new Error('no contact for 85073003328'));
  span.setStatus({ code: 2, message: 'refused 85073003328' });
  span.end();

  const [out] = exporter.getFinishedSpans();
  const text = JSON.stringify({ name: out.name, attributes: out.attributes, events: out.events, status: out.status });
  expect(text).not.toMatch(/85073003328|an\.peeters@|\+32470123456/);
  expect(out.attributes['http.target']).toBe(`/journeys?subject=${redactor.pseudonym('85073003328')}`);
  expect(out.attributes['http.status_code']).toBe(200);
  expect(out.attributes.list).toEqual(['+32*******56', 'plain']);
  expect(out.spanContext().spanId).toBe(span.spanContext().spanId);
  // The span itself (what the process still holds) is left as it was.
  expect((span as unknown as { attributes: Record<string, unknown> }).attributes['http.target']).toBe('/journeys?subject=85073003328');
});
