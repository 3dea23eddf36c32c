import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

/** RFC 9457 problem details, as the rest of the platform answers them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

export function problem(status: number, slug: string, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  return {
    type: `https://levensloop.dev/problems/sandbox/${slug}`,
    title: TITLES[status] ?? (status >= 500 ? 'Server error' : 'Client error'),
    status,
    detail,
    ...extensions,
  };
}

export function sendProblem(res: Response, body: ProblemDetails): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

export const badRequest = (res: Response, detail: string, extensions?: Record<string, unknown>) =>
  sendProblem(res, problem(400, 'bad-request', detail, extensions));

export const notFoundHandler: RequestHandler = (req, res) =>
  sendProblem(res, problem(404, 'not-found', `${req.method} ${req.path} is not a sandbox route. Agencies live under POST /agencies/:agency/:service, the issuer under /oidc, controls under /_sandbox.`));

/** Body-parser errors (bad JSON, too large) and anything unexpected, as problem+json. */
export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (e.type === 'entity.parse.failed') return sendProblem(res, problem(400, 'invalid-json', 'The request body is not valid JSON.'));
  if (status >= 400 && status < 500) return sendProblem(res, problem(status, 'bad-request', String(e.message ?? 'Bad request')));
  res.locals.error = err;
  return sendProblem(res, problem(500, 'internal', 'The sandbox failed unexpectedly; see its log.'));
};
