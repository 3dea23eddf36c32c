import type { Translations } from './model';
import { pointerSegment, type Problem } from './problem';
import type { EvidenceSource } from './evidence';

/**
 * Documents a caseworker or citizen task asks for (a birth certificate, a lease, a proof of
 * income): declared on the step, uploaded to the task, stored encrypted by content hash. The
 * workflow sees only references (hash, key, type, size), never content.
 */

/** The file types a step may accept: those a content check (magic bytes) recognises reliably. */
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The largest maxBytes a step may declare (the gateway's DOCUMENT_MAX_BYTES may cap lower). */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
export const MAX_DOCUMENTS_PER_STEP = 20;
export const DOCUMENT_KEY_PATTERN = /^(?=.{2,64}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** One document a step asks for. */
export interface DocumentRequirement {
  /** Stable name within the step, e.g. `birth-certificate`. */
  key: string;
  /** What to upload, per language (nl required). */
  titles: Translations;
  /** Accepted types, checked on the file's content. */
  acceptedTypes: DocumentType[];
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** Required documents must be there before the task completes (default false). */
  required?: boolean;
  /** Where the document can come from instead of an upload, on the person's request (citizen steps; see evidence.ts). */
  evidence?: EvidenceSource;
}

/** What a task's result carries of an uploaded document: its reference only. */
export interface DocumentReference {
  key: string;
  /** SHA-256 of the content, hexadecimal. */
  hash: string;
  type: string;
  size: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const describe = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value);
const FIELDS = new Set(['key', 'titles', 'acceptedTypes', 'maxBytes', 'required', 'evidence']);

/**
 * Problems of a step's `documents`, at `/documents/...`; titles are checked by the caller's
 * `checkTitles` (the definition's own rule for titles).
 */
export function validateDocumentRequirements(documents: unknown, kind: unknown, checkTitles: (titles: unknown, path: string, problems: Problem[]) => void): Problem[] {
  if (documents === undefined) return [];
  if (kind !== 'caseworker' && kind !== 'citizen') return [{ path: '/documents', message: `only caseworker and citizen steps ask for documents (a task uploads them); a ${String(kind)} step must not declare them` }];
  if (!Array.isArray(documents)) return [{ path: '/documents', message: `documents must be a list such as [{ "key": "birth-certificate", "titles": { "nl": "…" }, "acceptedTypes": ["application/pdf"], "maxBytes": 5242880, "required": true }] (got ${describe(documents)})` }];
  const problems: Problem[] = [];
  if (documents.length > MAX_DOCUMENTS_PER_STEP) problems.push({ path: '/documents', message: `a step asks for at most ${MAX_DOCUMENTS_PER_STEP} documents (got ${documents.length})` });
  const seen = new Map<string, number>();
  documents.forEach((doc: unknown, i) => {
    const at = `/documents/${i}`;
    if (!isRecord(doc)) {
      problems.push({ path: at, message: `each document must be an object with key, titles, acceptedTypes and maxBytes (got ${describe(doc)})` });
      return;
    }
    for (const field of Object.keys(doc)) if (!FIELDS.has(field)) problems.push({ path: `${at}/${pointerSegment(field)}`, message: `unknown field '${field}'; a document has key, titles, acceptedTypes, maxBytes and optionally required and evidence` });
    if (typeof doc.key !== 'string' || !DOCUMENT_KEY_PATTERN.test(doc.key)) {
      problems.push({ path: `${at}/key`, message: `the key ${describe(doc.key)} is not valid: 2 to 64 characters of lowercase kebab case (e.g. birth-certificate)` });
    } else if (seen.has(doc.key)) {
      problems.push({ path: `${at}/key`, message: `'${doc.key}' is declared twice (also at /documents/${seen.get(doc.key)})` });
    } else seen.set(doc.key, i);
    checkTitles(doc.titles, `${at}/titles`, problems);
    if (!Array.isArray(doc.acceptedTypes) || doc.acceptedTypes.length === 0) {
      problems.push({ path: `${at}/acceptedTypes`, message: `acceptedTypes must list at least one of ${DOCUMENT_TYPES.join(', ')} (got ${describe(doc.acceptedTypes)})` });
    } else {
      doc.acceptedTypes.forEach((type: unknown, j) => {
        if (!(DOCUMENT_TYPES as readonly unknown[]).includes(type)) problems.push({ path: `${at}/acceptedTypes/${j}`, message: `${describe(type)} is not an accepted type; choose from ${DOCUMENT_TYPES.join(', ')}` });
      });
    }
    if (typeof doc.maxBytes !== 'number' || !Number.isInteger(doc.maxBytes) || doc.maxBytes < 1 || doc.maxBytes > MAX_DOCUMENT_BYTES) {
      problems.push({ path: `${at}/maxBytes`, message: `maxBytes must be a whole number of bytes from 1 to ${MAX_DOCUMENT_BYTES} (50 MiB) (got ${describe(doc.maxBytes)})` });
    }
    if (doc.required !== undefined && typeof doc.required !== 'boolean') problems.push({ path: `${at}/required`, message: `required must be true or false (got ${describe(doc.required)})` });
  });
  return problems;
}

/** Why an upload of `detected` type and `size` bytes does not fit the requirement (undefined: it fits). */
export function uploadProblem(requirement: DocumentRequirement, detected: string | undefined, size: number, hardCap: number): string | undefined {
  if (size === 0) return 'the file is empty';
  const cap = Math.min(requirement.maxBytes, hardCap);
  if (size > cap) return `the file is ${size} bytes; '${requirement.key}' takes at most ${cap} bytes`;
  if (!detected || !(requirement.acceptedTypes as readonly string[]).includes(detected)) {
    return `the file's content is ${detected ? `of type ${detected}` : 'of no type recognised'}; '${requirement.key}' takes ${requirement.acceptedTypes.join(', ')} (the content decides, not the name)`;
  }
  return undefined;
}

/** The required documents of a step that no upload covers, by key. */
export function missingDocuments(requirements: readonly DocumentRequirement[] | undefined, uploadedKeys: Iterable<string>): string[] {
  const have = new Set(uploadedKeys);
  return (requirements ?? []).filter((r) => r.required && !have.has(r.key)).map((r) => r.key);
}
