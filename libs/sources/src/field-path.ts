/**
 * Puts a value at a dotted field path (`address.postalCode`), creating the objects on the way.
 * A whole object asked next to one of its parts (`address` and `address.postalCode`) keeps both:
 * it merges rather than overwrites, so no part is ever dropped.
 */
export function setFieldPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1];
  const existing = node[last];
  node[last] = isRecord(existing) && isRecord(value) ? { ...value, ...existing } : value;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
