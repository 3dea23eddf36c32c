import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** One structured log line per request, with the agency call's outcome when there is one. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const fields = {
        req: { method: req.method, url: req.originalUrl },
        res: { statusCode: res.statusCode },
        responseTimeMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        ...(res.locals.agencyCall ? { agencyCall: res.locals.agencyCall } : {}),
        ...(res.locals.error ? { err: res.locals.error } : {}),
      };
      if (res.statusCode >= 500 && res.locals.error) logger.error(fields, 'request failed');
      else if (req.path === '/health') logger.debug(fields, 'request');
      else logger.info(fields, 'request');
    });
    next();
  };
}
