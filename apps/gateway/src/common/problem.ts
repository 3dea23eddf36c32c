import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  /** JSON pointer into the request (e.g. `/nodes/2/dependsOn/0`). */
  path: string;
  message: string;
}

/** RFC 9457 problem details: every refusal tells the caller what to fix. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problemType(slug: string): string {
  return `https://levensloop.dev/problems/${slug}`;
}

/** Throw this for any refusal; the filter renders it as `application/problem+json`. */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus | number,
    detail: string,
    options: { slug?: string; title?: string; errors?: FieldProblem[]; extensions?: Record<string, unknown> } = {},
  ) {
    const body: ProblemDetails = {
      type: problemType(options.slug ?? String(status)),
      title: options.title ?? TITLES[status] ?? 'Error',
      status,
      detail,
      ...(options.errors?.length ? { errors: options.errors } : {}),
      ...(options.extensions ?? {}),
    };
    super(body, status);
  }
}

export const notFound = (what: string) => new ProblemException(404, `${what} does not exist.`, { slug: 'not-found' });
export const conflict = (detail: string, slug = 'conflict') => new ProblemException(409, detail, { slug });
export const forbidden = (detail: string) => new ProblemException(403, detail, { slug: 'forbidden' });
export const invalid = (detail: string, errors: FieldProblem[] = []) =>
  new ProblemException(422, detail, { slug: 'validation', errors });
