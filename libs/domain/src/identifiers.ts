/**
 * Identifiers and paths in source events' data, shared by the gateway (validating an event) and
 * the worker (planning what its triggers start).
 */

/** Reads a dotted path from event data; undefined when any step is missing. */
export function valueAt(data: unknown, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A Belgian national number: 11 digits whose last two are 97 - (first 9 mod 97), with `2` before them from 2000 on. */
export function isNationalNumber(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{11}$/.test(value)) return false;
  const check = Number(value.slice(9));
  return 97 - Number(BigInt(value.slice(0, 9)) % 97n) === check || 97 - Number(BigInt(`2${value.slice(0, 9)}`) % 97n) === check;
}

/** A Belgian enterprise number: 10 digits, 0 or 1 first, the last two 97 - (first 8 mod 97). */
export function isEnterpriseNumber(value: unknown): value is string {
  return typeof value === 'string' && /^[01]\d{9}$/.test(value) && 97 - (Number(value.slice(0, 8)) % 97) === Number(value.slice(8));
}
