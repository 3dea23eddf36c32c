import { LRUCache } from 'lru-cache';
import { readPath, type SourceCatalog, type Subject } from '@levensloop/domain';
import { SOURCE_CATALOG } from '../catalog';
import { envKeyOf, type SourcesConfig } from '../config/sources-config';
import { SourceFieldError, SourceRequestError, SourceUnavailableError } from './errors';
import { setFieldPath } from '../field-path';
import { context as otelContext, propagation } from '@opentelemetry/api';

/** Why a read happens; the source logs it with the read (MAGDA), and so does the engine. */
export interface ReadContext {
  purpose: string;
  legalBasis: string;
  /** Who reads, e.g. `<agency>/<step>`. */
  requester: string;
  journeyId?: string;
}

export interface SourceReadResult {
  /** Whether the source holds a record for the subject. */
  found: boolean;
  /** Only the requested fields the source holds, nested by path (`address.postalCode` → `{ address: { postalCode } }`). */
  values: Record<string, unknown>;
  /** Requested fields the source does not hold for this subject (absent or null, or no record). */
  missing: string[];
}

export interface SourceClientOptions {
  /** Entries per source cache; default 10000. */
  cacheMaxEntries?: number;
  /** Default: the platform's source catalog. */
  catalog?: SourceCatalog;
}

/** Where each register keeps the records a subject id (or address id) names. */
const COLLECTIONS: Record<string, string> = {
  'national-register': 'persons',
  'enterprise-register': 'enterprises',
  'address-register': 'addresses',
};

/** The field that holds a subject's address id, per subject type (see the address hop below). */
const ADDRESS_ID = {
  person: { source: 'national-register', field: 'address.id' },
  enterprise: { source: 'enterprise-register', field: 'seatAddress.id' },
} as const;

/** A cached field; `value` undefined when the record does not hold it. */
interface Cached {
  value: unknown;
}

// Header values must be bytes; a purpose in any language travels percent-encoded (UTF-8).
const headerValue = (text: string) => encodeURIComponent(text);

/**
 * Reads authentic sources over HTTP, MAGDA-style: only the named fields, with a purpose, a
 * legal basis and the requester on every request, so the source can log who asked and why.
 * Each source has an LRU cache with a TTL, keyed by subject, purpose and field: data read for
 * one purpose is not served for another. A source event about a subject calls `invalidate`.
 */
export class SourceClient {
  private readonly catalog: SourceCatalog;
  private readonly caches = new Map<string, LRUCache<string, Cached>>();

  constructor(
    private readonly config: SourcesConfig,
    options: SourceClientOptions = {},
  ) {
    this.catalog = options.catalog ?? SOURCE_CATALOG;
    if (config.cacheTtlMs > 0) {
      for (const key of Object.keys(this.catalog)) {
        this.caches.set(key, new LRUCache<string, Cached>({ max: options.cacheMaxEntries ?? 10_000, ttl: config.cacheTtlMs }));
      }
    }
  }

  async read(source: string, subject: Subject, fields: string[], context: ReadContext): Promise<SourceReadResult> {
    this.check(source, subject, fields);
    const requested = [...new Set(fields)];
    const cache = this.caches.get(source);
    const prefix = `${subjectKey(subject)}|${context.purpose}|`;
    const known = new Map<string, unknown>();
    for (const field of requested) {
      const hit = cache?.get(prefix + field);
      if (hit) known.set(field, hit.value);
    }
    const toFetch = requested.filter((f) => !known.has(f));
    if (toFetch.length) {
      const fetched = source === 'address-register' ? await this.readAddress(subject, toFetch, context) : await this.fetchRecord(source, subject.id, toFetch, context);
      if (!fetched.found) return { found: false, values: {}, missing: requested };
      for (const field of toFetch) {
        const value = readPath(fetched.record, field) ?? undefined;
        known.set(field, value);
        cache?.set(prefix + field, { value });
      }
    }
    const values: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const field of requested) {
      const value = known.get(field);
      if (value === undefined || value === null) missing.push(field);
      else setFieldPath(values, field, structuredClone(value));
    }
    return { found: true, values, missing };
  }

  /** Forgets every cached field of the subject, in every source (its record changed). */
  invalidate(subject: Subject): void {
    const prefix = `${subjectKey(subject)}|`;
    for (const cache of this.caches.values()) {
      const stale = [...cache.keys()].filter((k) => k.startsWith(prefix));
      for (const key of stale) cache.delete(key);
    }
  }

  private check(source: string, subject: Subject, fields: string[]) {
    const description = this.catalog[source];
    if (!description) throw new SourceFieldError(`There is no source "${source}"; the sources are ${Object.keys(this.catalog).join(', ')}.`);
    if (!description.subjectTypes.includes(subject.type)) {
      throw new SourceFieldError(`${source} holds records about a ${description.subjectTypes.join(' or ')}, not a ${subject.type}.`);
    }
    if (!fields.length) throw new SourceFieldError(`Name the fields to read from ${source}.`);
    const unknown = fields.filter((f) => !Object.prototype.hasOwnProperty.call(description.fields, f));
    if (unknown.length) {
      throw new SourceFieldError(`${source} holds no field ${unknown.map((f) => `"${f}"`).join(', ')}; it holds ${Object.keys(description.fields).join(', ')}.`);
    }
  }

  /**
   * The address register is keyed by address id, not by person or enterprise: first read the
   * subject's address id (national-register `address.id` for a person, enterprise-register
   * `seatAddress.id` for an enterprise, with the same purpose), then the address itself.
   */
  private async readAddress(subject: Subject, fields: string[], context: ReadContext): Promise<{ found: boolean; record: Record<string, unknown> }> {
    const hop = ADDRESS_ID[subject.type];
    const owner = await this.read(hop.source, subject, [hop.field], context);
    const addressId = readPath(owner.values, hop.field);
    if (!owner.found) return { found: false, record: {} };
    // A subject without a registered address: the register holds none of its fields.
    if (typeof addressId !== 'string' || !addressId) return { found: true, record: {} };
    return this.fetchRecord('address-register', addressId, fields, context);
  }

  private async fetchRecord(source: string, id: string, fields: string[], context: ReadContext): Promise<{ found: boolean; record: Record<string, unknown> }> {
    const endpoint = this.config.endpoints[source];
    if (!endpoint?.url) throw new SourceUnavailableError(`source ${source} is not configured: set SOURCES_URL (or SOURCE_${envKeyOf(source)}_URL)`);
    const url = `${endpoint.url}/${COLLECTIONS[source]}/${encodeURIComponent(id)}?fields=${fields.map(encodeURIComponent).join(',')}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-purpose': headerValue(context.purpose),
      'x-legal-basis': headerValue(context.legalBasis),
      'x-requester': headerValue(context.requester),
    };
    if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;
    if (context.journeyId) headers['x-journey-id'] = headerValue(context.journeyId);
    // The journey's trace context (W3C traceparent), as agency calls carry it: fetch is not instrumented.
    propagation.inject(otelContext.active(), headers);

    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(this.config.timeoutMs) });
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${this.config.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
      throw new SourceUnavailableError(`${source} did not answer: ${why}`, undefined, { cause: err });
    }
    if (res.status === 404) return { found: false, record: {} };
    const body = parseJson(text);
    const detail = typeof (body as { detail?: unknown })?.detail === 'string' ? `: ${(body as { detail: string }).detail}` : '';
    if (res.status >= 500 || res.status === 429) throw new SourceUnavailableError(`${source} answered ${res.status}${detail}`, res.status);
    if (!res.ok) {
      const hint = res.status === 401 || res.status === 403 ? ` (check SOURCES_TOKEN or SOURCE_${envKeyOf(source)}_TOKEN)` : '';
      throw new SourceRequestError(`${source} refused the read with ${res.status}${detail}${hint}`, res.status, body);
    }
    const record = (body as { record?: unknown })?.record;
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      throw new SourceUnavailableError(`${source} answered ${res.status} without a { "record": { … } } object`, res.status);
    }
    return { found: true, record: record as Record<string, unknown> };
  }
}

const subjectKey = (subject: Subject) => `${subject.type}:${subject.id}`;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The client for the configured sources (`config.sources` of the platform configuration). */
export function createSourceClient(config: SourcesConfig, options?: SourceClientOptions): SourceClient {
  return new SourceClient(config, options);
}
