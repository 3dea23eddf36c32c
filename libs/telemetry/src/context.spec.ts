import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentTraceparent, inStoredTrace, traceLogFields } from './context';

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});

test('outside a trace there is no traceparent and no trace fields for the logs', () => {
  expect(currentTraceparent()).toBeUndefined();
  expect(traceLogFields()).toEqual({});
});

test('a send picked from the outbox continues the trace stored with the message, and logs name it', async () => {
  const stored = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const seen = await inStoredTrace('notification.send email', stored, { 'levensloop.channel': 'email' }, async () => ({ parent: currentTraceparent(), log: traceLogFields() }));
  const [span] = exporter.getFinishedSpans();
  expect(span.name).toBe('notification.send email');
  expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  expect(span.parentSpanId).toBe('b7ad6b7169203331');
  expect(seen.parent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${span.spanContext().spanId}-01`);
  expect(seen.log).toEqual({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: span.spanContext().spanId });
});

test('without a stored trace the send starts one of its own; a failure is recorded on the span and rethrown', async () => {
  exporter.reset();
  await expect(inStoredTrace('notification.send sms', null, {}, async () => Promise.reject(new Error('gateway down')))).rejects.toThrow('gateway down');
  const [span] = exporter.getFinishedSpans();
  expect(span.parentSpanId).toBeUndefined();
  expect(span.status).toEqual({ code: 2, message: 'gateway down' });
});
