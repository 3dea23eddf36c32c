import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = {
  parameters?: Array<{ in?: string }>;
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
};

const PROBLEM = 'application/problem+json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The answers every operation can give whatever its own decorators say, because they come from
 * the layers in front of it: the validation of parameters and bodies (400, also for control
 * characters), the bearer-token guard (401; 403 for a role the operation does not admit; 503 when
 * the issuer cannot be reached to check a token), the body parser (413), the rate limiter (429),
 * and a path that names something that does not exist (404).
 */
const COMMON: Record<string, { description: string; when: (op: Operation, path: string) => boolean }> = {
  400: { description: 'The request has the wrong shape (parameters, types, unknown fields, control characters)', when: () => true },
  401: { description: 'No access token, or one that was refused (signature, issuer, audience, expiry)', when: (op) => secured(op) },
  403: { description: 'The caller may not do this (role, agency, or not their journey)', when: (op) => secured(op) },
  404: { description: 'What the path names does not exist (or is not visible to the caller)', when: (_, path) => path.includes('{') },
  413: { description: 'The body is larger than the gateway accepts', when: (op) => op.requestBody !== undefined },
  429: { description: 'Too many requests from this caller or address; try again after Retry-After seconds', when: () => true },
  503: { description: 'The token issuer cannot be reached to check the access token; try again shortly', when: (op) => secured(op) },
};

const secured = (op: Operation) => Array.isArray(op.security) && op.security.length > 0;

/**
 * Completes the generated document so that it says every status an operation can answer, and
 * that every refusal is `application/problem+json` (RFC 9457) with the problem schema: the
 * decorators document what is particular to an operation, this adds what all of them share.
 */
export function documentProblems(document: OpenAPIObject): OpenAPIObject {
  const schema = { $ref: '#/components/schemas/ProblemResponse' };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      // Nest answers 201 to a POST and 200 to the rest unless an operation says otherwise.
      if (!Object.keys(op.responses).some((status) => status.startsWith('2'))) {
        op.responses[method === 'post' ? '201' : '200'] = { description: method === 'post' ? 'Created' : 'OK' };
      }
      for (const [status, common] of Object.entries(COMMON)) {
        if (!op.responses[status] && common.when(op, path)) op.responses[status] = { description: common.description };
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        response.content = { [PROBLEM]: { schema } };
        if (status === '429' || status === '503') {
          response.headers = { ...response.headers, 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } };
        }
      }
    }
  }
  return document;
}
