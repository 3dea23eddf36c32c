import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CatalogError } from '@levensloop/catalog';
import { problemType, type ProblemDetails } from './problem';

const CATALOG_STATUS = { not_found: 404, conflict: 409, invalid: 422, forbidden: 403 } as const;

/** Renders every error as RFC 9457 `application/problem+json`; never leaks internals on 5xx. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<Request>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl;
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body && 'type' in body && 'detail' in body) return { ...(body as ProblemDetails) };
      const message =
        typeof body === 'string'
          ? body
          : Array.isArray((body as { message?: unknown }).message)
            ? ((body as { message: string[] }).message.join('; '))
            : String((body as { message?: unknown }).message ?? exception.message);
      return { type: problemType(String(status)), title: exception.name.replace(/Exception$/, ''), status, detail: message };
    }
    if (exception instanceof CatalogError) {
      const status = CATALOG_STATUS[exception.kind];
      return {
        type: problemType(exception.kind === 'invalid' ? 'validation' : exception.kind.replace('_', '-')),
        title: exception.kind === 'invalid' ? 'Invalid definition' : exception.kind === 'conflict' ? 'Conflict' : exception.kind === 'forbidden' ? 'Forbidden' : 'Not found',
        status,
        detail: exception.message,
        ...(exception.problems.length ? { errors: exception.problems } : {}),
      };
    }
    // Errors raised by the body parser before Nest sees the request.
    const err = exception as { type?: string; status?: number; message?: string; limit?: number };
    if (err?.type === 'entity.parse.failed') {
      return { type: problemType('malformed-json'), title: 'Malformed JSON', status: 400, detail: `The request body is not valid JSON: ${err.message}` };
    }
    if (err?.type === 'entity.too.large') {
      return { type: problemType('payload-too-large'), title: 'Payload too large', status: 413, detail: `The request body exceeds the limit of ${err.limit} bytes.` };
    }
    if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported') {
      return { type: problemType('unsupported-encoding'), title: 'Unsupported encoding', status: 415, detail: err.message ?? 'Unsupported encoding.' };
    }
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      return { type: problemType(String(err.status)), title: 'Bad request', status: err.status, detail: err.message ?? 'Bad request.' };
    }
    return { type: problemType('internal'), title: 'Internal server error', status: 500, detail: 'Something went wrong on our side; the error has been logged.' };
  }
}
