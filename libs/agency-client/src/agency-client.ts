import * as http from 'node:http';
import * as https from 'node:https';
import type { AgencyCallInput, AgencyCallResult } from '@levensloop/contracts/workflow';
import { BlockedAddressError, checkLiteralHost, guardedLookup, isAllowedInternal } from './address-guard';
import { signAgencyRequest } from './signature';
import { context, propagation } from '@opentelemetry/api';

/** Thrown for answers that retrying will not change (4xx other than 408/425/429). */
export class AgencyRejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AgencyRejectedError';
  }
}

/**
 * Thrown when the engine refuses the call or its answer on its own rules (a redirect, an internal
 * address, plain http in production, an answer too large or not a JSON object): retrying the same
 * call would not change it, and nothing of the answer is kept.
 */
export class AgencyCallRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgencyCallRefusedError';
  }
}

export const DEFAULT_MAX_RESPONSE_BYTES = 262_144;

export interface AgencyClientOptions {
  timeoutMs: number;
  /** AGENCY_MAX_RESPONSE_BYTES: a longer answer is a failed attempt (default 256 KiB). */
  maxResponseBytes?: number;
  /** AGENCY_ALLOWED_INTERNAL_HOSTS: `host:port` entries that may be reached although internal. */
  allowedInternalHosts?: readonly string[];
  /** The agency's signing key (AGENCY_SIGNING_KEYS); without one the call goes out unsigned. */
  signingKey?: Buffer;
  /** The production profile: plain http endpoints are refused. */
  requireHttps?: boolean;
  /**
   * The caller's cancellation (an activity's `cancellationSignal`: a worker shutting down past its
   * grace, or a cancellation from the server): aborts the request, and the call rejects with the
   * signal's reason, so that the activity reports itself cancelled and is retried elsewhere.
   */
  signal?: AbortSignal;
}

const RETRYABLE_4XX = new Set([408, 425, 429]);

// Own agents, so no other code's sockets (or their lookups) are ever shared with agency calls.
const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Calls an agency endpoint over HTTP. The idempotency key lets the agency do the work once
 * however often the call is retried (after a timeout, a crash or a caseworker's retry).
 * Redirects are never followed; internal addresses are refused after DNS resolution; the
 * request is signed (RFC 9421) when the agency has a key; the answer is read up to a cap and
 * must be a JSON object.
 */
export async function callAgencyEndpoint(input: AgencyCallInput, options: AgencyClientOptions): Promise<AgencyCallResult> {
  options.signal?.throwIfAborted();
  const url = new URL(input.endpoint);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AgencyCallRefusedError(`${input.agency}: the endpoint must be an http(s) URL (got ${url.protocol})`);
  if (options.requireHttps && url.protocol !== 'https:') {
    throw new AgencyCallRefusedError(`${input.agency}: the endpoint ${url.origin} uses plain http, which the production profile refuses; the step needs an https endpoint`);
  }
  const internalAllowed = isAllowedInternal(url, options.allowedInternalHosts ?? []);
  if (!internalAllowed) {
    try {
      checkLiteralHost(url);
    } catch (err) {
      throw refusal(input.agency, err);
    }
  }
  const body = JSON.stringify({
    journeyId: input.journeyId,
    step: input.nodeKey,
    subject: input.subject,
    data: input.data,
    ...(input.fields ? { fields: input.fields } : {}),
  });
  let headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'idempotency-key': input.idempotencyKey,
  };
  if (options.signingKey) headers = await signAgencyRequest({ method: 'POST', url: url.href, headers, body }, input.agency, options.signingKey);
  headers['content-length'] = String(Buffer.byteLength(body));
  // W3C trace context (traceparent, tracestate) of the journey's activity, outside the signature:
  // an agency may join the trace; the http instrumentation, when on, puts its own call span here.
  propagation.inject(context.active(), headers);

  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  let answer: RawAnswer;
  try {
    answer = await send(url, headers, body, { timeoutMs: options.timeoutMs, maxBytes, guard: !internalAllowed, signal: options.signal });
  } catch (err) {
    // Cancelled by the caller: its reason, not a timeout nor a failed attempt.
    if (options.signal?.aborted) throw options.signal.reason;
    if (err instanceof BlockedAddressError || err instanceof AgencyCallRefusedError) throw refusal(input.agency, err);
    if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') throw new Error(`${input.agency} did not answer within ${options.timeoutMs} ms`);
    throw err;
  }
  const { status } = answer;
  if (status >= 300 && status < 400) {
    const location = answer.headers.location;
    throw new AgencyCallRefusedError(
      `${input.agency} answered ${status}${location ? ` (a redirect to ${describeLocation(location, url)})` : ' (a redirect)'}, which is never followed; the step's endpoint must answer itself`,
    );
  }
  const text = answer.body.toString('utf8');
  if (status >= 200 && status < 300) {
    return { status, body: jsonObject(input.agency, text), replayed: answer.headers['idempotent-replayed'] === 'true' };
  }
  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) problem = parsed as Record<string, unknown>;
  } catch {
    // not JSON: the text itself is the detail
  }
  const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : text;
  const message = `${input.agency} answered ${status}${detail ? `: ${detail.slice(0, 200)}` : ''}`;
  if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) throw new AgencyRejectedError(message, status);
  throw new Error(message);
}

/** An outcome is a JSON object: anything else is a failed attempt (nothing of it is kept). */
function jsonObject(agency: string, text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AgencyCallRefusedError(`${agency} answered with a body that is not JSON; an agency answers a JSON object`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const what = parsed === null ? 'null' : Array.isArray(parsed) ? 'a JSON array' : `a JSON ${typeof parsed}`;
    throw new AgencyCallRefusedError(`${agency} answered with ${what}; an agency answers a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function send(url: URL, headers: Record<string, string>, body: string, opts: { timeoutMs: number; maxBytes: number; guard: boolean; signal?: AbortSignal }): Promise<RawAnswer> {
  const isHttps = url.protocol === 'https:';
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  return new Promise<RawAnswer>((resolve, reject) => {
    const request = (isHttps ? https : http).request(
      url,
      {
        method: 'POST',
        headers,
        agent: isHttps ? httpsAgent : httpAgent,
        signal: opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout,
        ...(opts.guard ? { lookup: guardedLookup(url.hostname) } : {}),
      },
      (response) => {
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > opts.maxBytes) {
          response.destroy();
          return reject(tooLarge(opts.maxBytes));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) {
            response.destroy();
            reject(tooLarge(opts.maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const tooLarge = (max: number) => new AgencyCallRefusedError(`the answer is larger than ${max} bytes (AGENCY_MAX_RESPONSE_BYTES) and was not read further`);

function refusal(agency: string, err: unknown): AgencyCallRefusedError {
  return new AgencyCallRefusedError(`${agency}: ${(err as Error).message}`);
}

/** Where a redirect pointed, without its query (which may carry secrets). */
function describeLocation(location: string, base: URL): string {
  try {
    const target = new URL(location, base);
    return `${target.origin}${target.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}
