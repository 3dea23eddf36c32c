import { createHmac } from 'node:crypto';

/**
 * No personal data in logs: national numbers (11 digits, also as 85.07.30-033.28) and enterprise
 * numbers (0123456789 with a valid mod-97 check, 0123.456.789, BE0123456789) are replaced by a
 * keyed hash, so an operator can still follow one person or enterprise through the lines of every
 * process without reading the number; e-mail addresses and phone numbers (E.164) are masked.
 *
 * The gateway, the worker and the dispatcher pass every log line through one redactor, at the
 * point where the line is written (pino's `streamWrite` hook, the worker's log function), so what
 * a request URL, a path parameter, a message or an error carries is covered without care at each
 * log call.
 */

/** The key of the hashes in development (LOG_PSEUDONYM_KEY); the production profile refuses it. */
export const DEVELOPMENT_LOG_PSEUDONYM_KEY = 'levensloop-development-log-pseudonym-key';

/** Hex characters kept of the HMAC-SHA256: 64 bits, enough to tell people apart in logs. */
const HASH_HEX = 16;

// A number stands alone: no letter or digit next to it, but a percent-encoded character
// (`%2F85073003328`) or a JSON escape (`\n85073003328`) before it still counts as a boundary.
const BEFORE = String.raw`(?:(?<![0-9A-Za-z])|(?<=%[0-9A-Fa-f]{2})|(?<=\\[nrtbf]))`;
const AFTER = String.raw`(?![0-9A-Za-z])`;

// An address stands alone too, and its parts are bounded (RFC 5321: a local part of at most 64
// characters, labels of at most 63): without the left boundary and the bounds the pattern would be
// retried from every character of a long header, which costs time quadratic in its length.
const EMAIL = String.raw`(?<email>(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]{1,64}(?:@|%40)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8})`;
const NUMBERS = [
  String.raw`(?<phone>(?:(?<![0-9A-Za-z])\+|%2[Bb])\d{8,14}${AFTER})`,
  String.raw`${BEFORE}(?<nn>\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}|\d{11})${AFTER}`,
  String.raw`${BEFORE}(?<ent>(?:BE ?)?[01]\d{3}\.\d{3}\.\d{3}|BE ?[01]\d{9}|[01]\d{9})${AFTER}`,
];
/** With addresses first, so a number inside an address is masked as part of the address. */
const WITH_EMAIL = new RegExp([EMAIL, ...NUMBERS].join('|'), 'g');
/** For the many strings without `@` or `%40`, which cannot hold an address. */
const WITHOUT_EMAIL = new RegExp(NUMBERS.join('|'), 'g');
const MAY_HOLD_EMAIL = /@|%40/;

/** A JSON string literal, or a number value of ten or eleven digits (a national number logged as a number). */
const JSON_STRING_OR_NUMBER = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<=[:,[])\d{10,11}(?=[,\]}])/g;

/** Whether ten digits pass the enterprise number's check (97 minus the first eight mod 97). */
function enterpriseCheck(digits: string): boolean {
  return 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8));
}

export interface LogRedactor {
  /** Free text with the numbers hashed and the addresses masked. */
  text(value: string): string;
  /** A JSON log line: only inside its strings, so the line stays valid JSON. */
  jsonLine(line: string): string;
  /** The hash that stands for a national or enterprise number (for an operator looking for one). */
  pseudonym(number: string): string;
}

/** One redactor per process, keyed with LOG_PSEUDONYM_KEY. */
export function createLogRedactor(key: string): LogRedactor {
  const hash = (digits: string) => createHmac('sha256', key).update(digits).digest('hex').slice(0, HASH_HEX);
  const pseudonym = (number: string) => {
    const digits = number.replace(/\D/g, '');
    return `${digits.length === 11 ? 'nn' : 'ent'}:${hash(digits)}`;
  };
  const text = (value: string) =>
    value.replace(MAY_HOLD_EMAIL.test(value) ? WITH_EMAIL : WITHOUT_EMAIL, (match, ...args) => {
      const groups = args[args.length - 1] as Record<string, string | undefined>;
      if (groups.email) {
        const at = match.search(/@|%40/);
        return `${match[0]}***${match.slice(at)}`;
      }
      if (groups.phone) {
        const plus = match.startsWith('+') ? 1 : 3;
        return `${match.slice(0, plus + 2)}${'*'.repeat(Math.max(3, match.length - plus - 4))}${match.slice(-2)}`;
      }
      if (groups.nn) return pseudonym(groups.nn);
      const digits = match.replace(/\D/g, '');
      // A bare ten-digit number is an enterprise number only when its check says so.
      if (/^[01]\d{9}$/.test(match) && !enterpriseCheck(digits)) return match;
      return pseudonym(digits);
    });
  // Only strings with a digit or an @ can hold anything to hide (most of a line has neither). A
  // number value that is redacted becomes a string (its pseudonym), so the line stays valid JSON.
  const jsonLine = (line: string) =>
    line.replace(JSON_STRING_OR_NUMBER, (token) => {
      if (!token.startsWith('"')) {
        const redacted = text(token);
        return redacted === token ? token : JSON.stringify(redacted);
      }
      return /[\d@]/.test(token) ? text(token) : token;
    });
  return { text, jsonLine, pseudonym };
}

/**
 * pino's hooks for a logger whose every line goes through the redactor (pino and pino-http
 * options: `hooks: redactingLogHooks(config.logPseudonymKey)`).
 */
export function redactingLogHooks(key: string): { streamWrite: (line: string) => string } {
  const redactor = createLogRedactor(key);
  return { streamWrite: (line) => redactor.jsonLine(line) };
}
