/**
 * Tracing settings, read on their own (without the rest of the configuration) so a process can
 * start tracing before it loads the modules instrumentation has to patch (http, pg).
 * The variable names are OpenTelemetry's own, as operators of collectors expect them.
 */
import { readProfile, type Env } from './production';
import { createLogRedactor, DEVELOPMENT_LOG_PSEUDONYM_KEY } from './log-redaction';

export interface TelemetryConfig {
  /**
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL), else OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`:
   * where spans go over OTLP/HTTP (JSON). Unset: off, except in development, where it is the
   * sandbox's receiver (`<SANDBOX_URL>/otlp/v1/traces`) when SANDBOX_URL is set.
   * OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true turn tracing off whatever is set.
   */
  endpoint?: string;
  /** OTEL_EXPORTER_OTLP_HEADERS / OTEL_EXPORTER_OTLP_TRACES_HEADERS: `key=value,…` sent with each export (e.g. an API key). */
  headers: Record<string, string>;
  /** OTEL_TRACES_SAMPLER_ARG with a ratio sampler (default 1: every trace), parent-based. */
  sampleRatio: number;
  /** LEVENSLOOP_ENV: the resource's deployment environment. */
  environment: string;
  /**
   * What every exported span's strings pass through: the logs' redactor (LOG_PSEUDONYM_KEY), so a
   * national number in a request URL reaches the collector as the same `nn:<hash>` as in the logs.
   */
  redact: (text: string) => string;
  /** Problems with the settings; the caller refuses to start (or, before its config is loaded, prints them). */
  problems: string[];
}

export function readTelemetryConfig(env: Env = process.env): TelemetryConfig {
  const problems: string[] = [];
  const { profile } = readProfile(env);
  const off = env.OTEL_TRACES_EXPORTER?.trim() === 'none' || env.OTEL_SDK_DISABLED?.trim() === 'true';
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim().replace(/\/+$/, '');
  const sandbox = env.SANDBOX_URL?.trim().replace(/\/+$/, '');
  let endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || (base ? `${base}/v1/traces` : undefined);
  if (!endpoint && profile === 'development' && sandbox) endpoint = `${sandbox}/otlp/v1/traces`;
  if (endpoint) {
    try {
      if (!['http:', 'https:'].includes(new URL(endpoint).protocol)) problems.push(`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL (got ${endpoint})`);
    } catch {
      problems.push(`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not a valid URL: ${endpoint}`);
    }
    // A bad endpoint is never used (the process refuses to start once its configuration is read).
    if (problems.length) endpoint = undefined;
  }
  const headers: Record<string, string> = {};
  for (const raw of [env.OTEL_EXPORTER_OTLP_HEADERS, env.OTEL_EXPORTER_OTLP_TRACES_HEADERS]) {
    for (const pair of (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const at = pair.indexOf('=');
      if (at <= 0) {
        problems.push('OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs, comma-separated');
        continue;
      }
      headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    }
  }
  const ratioRaw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const sampleRatio = ratioRaw ? Number(ratioRaw) : 1;
  if (!(sampleRatio >= 0 && sampleRatio <= 1)) problems.push(`OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1 (got ${ratioRaw})`);
  return {
    ...(endpoint && !off ? { endpoint } : {}),
    headers,
    sampleRatio: sampleRatio >= 0 && sampleRatio <= 1 ? sampleRatio : 1,
    environment: profile,
    redact: createLogRedactor(env.LOG_PSEUDONYM_KEY?.trim() || DEVELOPMENT_LOG_PSEUDONYM_KEY).text,
    problems,
  };
}
