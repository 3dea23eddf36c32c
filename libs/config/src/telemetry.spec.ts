import { loadConfig } from './config';
import { readTelemetryConfig } from './telemetry';

describe('readTelemetryConfig', () => {
  it('is off when no endpoint is set outside development', () => {
    expect(readTelemetryConfig({ LEVENSLOOP_ENV: 'production', SANDBOX_URL: 'http://127.0.0.1:3100' }).endpoint).toBeUndefined();
    expect(readTelemetryConfig({}).endpoint).toBeUndefined();
  });

  it("points at the sandbox's receiver in development", () => {
    expect(readTelemetryConfig({ SANDBOX_URL: 'http://127.0.0.1:3100/' }).endpoint).toBe('http://127.0.0.1:3100/otlp/v1/traces');
  });

  it("takes OpenTelemetry's own variables: the traces endpoint first, then the base endpoint + /v1/traces", () => {
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.be:4318/', SANDBOX_URL: 'http://127.0.0.1:3100' }).endpoint).toBe('https://otel.example.be:4318/v1/traces');
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://a.example.be', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b.example.be/traces' }).endpoint).toBe('https://b.example.be/traces');
    const headers = readTelemetryConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%3Dcret, x-tenant=flanders' }).headers;
    expect(headers).toEqual({ 'api-key': 's=cret', 'x-tenant': 'flanders' });
  });

  it('is switched off by OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true', () => {
    expect(readTelemetryConfig({ SANDBOX_URL: 'http://127.0.0.1:3100', OTEL_TRACES_EXPORTER: 'none' }).endpoint).toBeUndefined();
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.be', OTEL_SDK_DISABLED: 'true' }).endpoint).toBeUndefined();
  });

  it('names bad settings, and never uses a bad endpoint', () => {
    const bad = readTelemetryConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://otel', OTEL_TRACES_SAMPLER_ARG: '2', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' });
    expect(bad.endpoint).toBeUndefined();
    expect(bad.problems).toEqual([
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL (got ftp://otel)',
      'OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs, comma-separated',
      'OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1 (got 2)',
    ]);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not a valid URL: not a url\/v1\/traces/,
    );
  });
});
