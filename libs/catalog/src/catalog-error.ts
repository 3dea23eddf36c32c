import type { Problem } from '@levensloop/domain';

/** `forbidden` is not raised by the catalog itself; it is kept so callers can map every kind. */
export type CatalogErrorKind = 'not_found' | 'conflict' | 'invalid' | 'forbidden';

/**
 * A refusal of the catalog: the gateway maps it to 404/409/422 problem+json (with `problems` as
 * `errors`), the CLI prints every problem and exits with 1. Thrown before anything is written.
 */
export class CatalogError extends Error {
  constructor(
    readonly kind: CatalogErrorKind,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

export const notFound = (what: string) => new CatalogError('not_found', `${what} does not exist.`);
export const conflict = (message: string) => new CatalogError('conflict', message);

/** Throws an `invalid` error listing every problem, or returns when there are none. */
export function assertValid(what: string, problems: Problem[]): void {
  if (problems.length) {
    throw new CatalogError('invalid', `${what} has ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix; nothing was saved.`, problems);
  }
}

/** PostgreSQL unique_violation (23505), as raised through TypeORM's QueryFailedError or pg. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | undefined;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}
