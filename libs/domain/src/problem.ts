/**
 * One thing to fix in a submitted definition. `path` is a JSON pointer (RFC 6901) into what the
 * caller sent, e.g. `/nodes/2/dependsOn/0` or `/serviceNorm/warn`; `message` says what to change.
 */
export interface Problem {
  path: string;
  message: string;
}

/** Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`), e.g. for the JSONLogic operator `/`. */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}
