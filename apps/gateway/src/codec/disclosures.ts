import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import type { Subject } from '@levensloop/domain';

/**
 * What a decode disclosed, read from the payloads it decrypted: the journeys they belong to (a
 * journey's start input names its subject; most other inputs only its id) and subjects named
 * outside any journey. Only decrypted payloads count: one that was already in clear was readable
 * in Temporal without the codec server, so the codec server did not disclose it.
 */
export interface Disclosed {
  /** Journey id → its subject when a payload of the request named it next to the id. */
  journeys: Map<string, Subject | undefined>;
  /** Subjects named in no journey's payload (e.g. a source event's), distinct. */
  subjects: Subject[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT_ID = /^\d{10,11}$/;
/** A decoded history page is at most a few thousand values deep and wide; a hostile payload is not walked further. */
const MAX_DEPTH = 40;
const MAX_NODES = 200_000;
const text = new TextDecoder();

function subjectOf(value: unknown): Subject | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { type, id } = value as { type?: unknown; id?: unknown };
  return (type === 'person' || type === 'enterprise') && typeof id === 'string' && SUBJECT_ID.test(id) ? { type, id } : undefined;
}

function jsonOf(payload: Payload): unknown {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  if (!encoding || text.decode(encoding) !== 'json/plain' || !payload.data?.length) return undefined;
  try {
    return JSON.parse(text.decode(payload.data));
  } catch {
    return undefined;
  }
}

/** The journeys and subjects the decrypted payloads (`decoded[i]` for each `encrypted[i]`) identify. */
export function disclosedBy(decoded: readonly Payload[], wasEncrypted: readonly boolean[]): Disclosed {
  const journeys = new Map<string, Subject | undefined>();
  const subjects = new Map<string, Subject>();
  let nodes = 0;
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || depth > MAX_DEPTH || ++nodes > MAX_NODES) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const subject = subjectOf(record.subject);
    if (typeof record.journeyId === 'string' && UUID.test(record.journeyId)) {
      const id = record.journeyId.toLowerCase();
      journeys.set(id, journeys.get(id) ?? subject);
    } else if (subject) {
      subjects.set(`${subject.type}:${subject.id}`, subject);
    }
    for (const value of Object.values(record)) walk(value, depth + 1);
  };
  decoded.forEach((payload, i) => {
    if (wasEncrypted[i]) walk(jsonOf(payload), 0);
  });
  // A subject whose journey is named gets that journey's row; only the others stand alone.
  for (const s of journeys.values()) if (s) subjects.delete(`${s.type}:${s.id}`);
  return { journeys, subjects: [...subjects.values()] };
}

/** The longest purpose kept (the audit row and the citizen's log show it as given). */
export const MAX_PURPOSE_LENGTH = 500;

/**
 * The purpose an auditor states in `X-Purpose`: trimmed, percent-decoded when it is
 * percent-encoded (HTTP headers carry ASCII: `Dossier%20%C3%A9` for non-ASCII letters), 3 to 500
 * characters without control characters. Answers the purpose or what is wrong with it.
 */
export function readPurpose(header: string | string[] | undefined): { purpose: string } | { problem: string } {
  const raw = (Array.isArray(header) ? header.join(', ') : (header ?? '')).trim();
  if (!raw) return { problem: 'missing' };
  let value = raw;
  if (raw.includes('%')) {
    try {
      value = decodeURIComponent(raw).trim();
    } catch {
      // Not percent-encoding: a literal percent sign.
    }
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return { problem: 'holds control characters' };
  if (value.length < 3) return { problem: 'is shorter than 3 characters' };
  if (value.length > MAX_PURPOSE_LENGTH) return { problem: `is longer than ${MAX_PURPOSE_LENGTH} characters` };
  return { purpose: value };
}
