import { readTelemetryConfig } from '@levensloop/config/telemetry';
import { startTracing } from '@levensloop/telemetry';

/** The gateway's tracing, started when main.ts loads this (first, before http and pg are loaded). */
export const tracing = startTracing('levensloop-gateway', readTelemetryConfig());
