/** The read asks for something the catalog does not allow: a bug in a step's definition, never retried. */
export class SourceFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceFieldError';
  }
}

/** The source could not answer now (network, timeout, 5xx, 429, not configured): worth retrying. */
export class SourceUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceUnavailableError';
  }
}

/** The source refused the request (a 4xx other than 404 and 429): retrying the same request will not help. */
export class SourceRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problem?: unknown,
  ) {
    super(message);
    this.name = 'SourceRequestError';
  }
}
