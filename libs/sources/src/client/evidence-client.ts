import type { SourceCatalog, Subject } from '@levensloop/domain';
import { context as otelContext, propagation } from '@opentelemetry/api';
import { SOURCE_CATALOG } from '../catalog';
import { envKeyOf, type SourcesConfig } from '../config/sources-config';
import { SourceFieldError, SourceRequestError, SourceUnavailableError } from './errors';
import type { ReadContext } from './source-client';

/** The source holds no such document for the subject (it answered 404): nothing to preview. */
export class EvidenceNotHeldError extends SourceRequestError {
  constructor(message: string) {
    super(message, 404);
    this.name = 'EvidenceNotHeldError';
  }
}

/** A document as the source delivered it. */
export interface FetchedEvidence {
  content: Buffer;
  /** The type the source declared (the caller checks the content itself). */
  declaredType: string;
  fileName?: string;
}

const COLLECTIONS = { person: 'persons', enterprise: 'enterprises' } as const;

/**
 * Fetches a document an authentic source delivers as evidence (`GET <source>/<collection>/<id>/evidence/<type>`),
 * with the same guards as a register read: only a source and type the catalog knows, about the
 * kind of subject it holds; purpose, legal basis and requester on every request; a timeout; an
 * answer capped at `maxBytes`. Never cached: a preview is fetched on the person's request only.
 */
export class EvidenceClient {
  private readonly catalog: SourceCatalog;

  constructor(
    private readonly config: SourcesConfig,
    options: { catalog?: SourceCatalog } = {},
  ) {
    this.catalog = options.catalog ?? SOURCE_CATALOG;
  }

  async fetch(source: string, type: string, subject: Subject, context: ReadContext, maxBytes: number): Promise<FetchedEvidence> {
    const description = this.catalog[source];
    if (!description) throw new SourceFieldError(`There is no source "${source}".`);
    if (!description.evidence || !Object.prototype.hasOwnProperty.call(description.evidence, type)) throw new SourceFieldError(`${source} delivers no document "${type}".`);
    if (!description.subjectTypes.includes(subject.type)) throw new SourceFieldError(`${source} holds documents about a ${description.subjectTypes.join(' or ')}, not a ${subject.type}.`);
    const endpoint = this.config.endpoints[source];
    if (!endpoint?.url) throw new SourceUnavailableError(`source ${source} is not configured: set SOURCES_URL (or SOURCE_${envKeyOf(source)}_URL)`);
    const url = `${endpoint.url}/${COLLECTIONS[subject.type]}/${encodeURIComponent(subject.id)}/evidence/${encodeURIComponent(type)}`;
    const headers: Record<string, string> = {
      accept: description.evidence[type].contentTypes.join(', '),
      'x-purpose': encodeURIComponent(context.purpose),
      'x-legal-basis': encodeURIComponent(context.legalBasis),
      'x-requester': encodeURIComponent(context.requester),
    };
    if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;
    if (context.journeyId) headers['x-journey-id'] = encodeURIComponent(context.journeyId);
    propagation.inject(otelContext.active(), headers);

    let res: Response;
    let content: Buffer;
    try {
      res = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(this.config.timeoutMs) });
      content = await readCapped(res, maxBytes);
    } catch (err) {
      if (err instanceof SourceUnavailableError) throw err;
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${this.config.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
      throw new SourceUnavailableError(`${source} did not answer: ${why}`, undefined, { cause: err });
    }
    const detail = res.ok ? '' : problemDetail(content);
    if (res.status === 404) throw new EvidenceNotHeldError(`${source} holds no ${type} for this person${detail}`);
    if (res.status >= 500 || res.status === 429) throw new SourceUnavailableError(`${source} answered ${res.status}${detail}`, res.status);
    if (!res.ok) throw new SourceRequestError(`${source} refused the request with ${res.status}${detail}`, res.status);
    if (!content.length) throw new SourceUnavailableError(`${source} answered ${res.status} without a document`, res.status);
    const fileName = /filename="([^"]{1,200})"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    return { content, declaredType: (res.headers.get('content-type') ?? '').split(';')[0].trim(), ...(fileName ? { fileName } : {}) };
  }
}

/** The body, refused once it passes `maxBytes` (a source must not fill the gateway's memory). */
async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (res.ok && Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new SourceUnavailableError(`the document is ${declared} bytes; at most ${maxBytes} are taken`, res.status);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > maxBytes) throw new SourceUnavailableError(`the document is over ${maxBytes} bytes, the most taken`, res.status);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

function problemDetail(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { detail?: unknown };
    return typeof parsed.detail === 'string' ? `: ${parsed.detail}` : '';
  } catch {
    return '';
  }
}
