import type { Problem } from '@levensloop/domain';

export type CatalogErrorKind = 'not_found' | 'conflict' | 'invalid' | 'forbidden';

/** A refusal of the catalog, mapped by the gateway to 404/409/422 and by the CLI to exit code 1. */
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
