import type { IncomingMessage, Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { GatewayLimits, LevensloopConfig } from '@levensloop/config';
import { problemType } from '../common/problem';

/** The routes for operators: metrics and the API's documentation. */
// Case-insensitive, as Express routes (`/METRICS` reaches the metrics route too); a trailing slash or a
// suffix (`/docs/`, `/docs-json`, `/docs.css`) is the same route family.
const INTERNAL_PATH = /^\/+(metrics|openapi\.json|docs)(?=$|[/?\-.])/i;
const DOCS_PATH = /^\/+docs(?=$|[/?\-.])/i;
const INTERNAL = Symbol('internal listener');

/** Marks a request that came through the internal listener. */
export function markInternal(req: IncomingMessage): IncomingMessage {
  (req as IncomingMessage & { [INTERNAL]?: boolean })[INTERNAL] = true;
  return req;
}

/**
 * With an internal listener, /metrics, /docs and /openapi.json answer there only, and the internal
 * listener answers nothing else (but /health, for probes): 404 problem+json, as for any unknown route.
 */
export function internalRoutes() {
  return (req: Request, res: Response, next: NextFunction) => {
    const internalListener = (req as unknown as { [INTERNAL]?: boolean })[INTERNAL] === true;
    const internalRoute = INTERNAL_PATH.test(req.path);
    if (internalRoute === internalListener || (internalListener && /^\/health\/?$/i.test(req.path))) return next();
    res
      .status(404)
      .type('application/problem+json')
      .send(JSON.stringify({ type: problemType('not-found'), title: 'Not found', status: 404, detail: `Cannot ${req.method} ${req.path}`, instance: req.originalUrl }));
  };
}

/**
 * Security headers (helmet): the API's answers are data, so their policy allows nothing to load or
 * frame them; the Swagger UI at /docs gets a policy it works under (its scripts and stylesheet
 * from the gateway, its inline styles, data: images). Bearer tokens, not cookies, authenticate,
 * so other origins (the console) may read answers as CORS allows.
 */
export function securityHeaders(config: LevensloopConfig) {
  const https = config.gateway.publicUrl.startsWith('https:');
  const common = {
    crossOriginResourcePolicy: { policy: 'cross-origin' as const },
    // HSTS only where the gateway is reached over https (it would pin a development host otherwise).
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
  const api = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
  });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
  });
  return (req: Request, res: Response, next: NextFunction) => (DOCS_PATH.test(req.path) ? docs : api)(req, res, next);
}

/**
 * A client must send its headers within headersTimeoutMs and its whole request within
 * requestTimeoutMs (else 408 and the connection is closed), and an idle kept-alive connection
 * is closed after keepAliveTimeoutMs: a slow client (slowloris) cannot hold the server's connections.
 */
export function applyServerTimeouts(server: Server, limits: GatewayLimits): void {
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Node checks those timeouts every 30 s by default; the (untyped) interval is read when the server starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1000, server.headersTimeout);
}
