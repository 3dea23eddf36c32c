import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * Answers a GET with a strong ETag of its JSON, or 304 Not Modified when If-None-Match holds it.
 * Express's own freshness check skips If-None-Match whenever the request says
 * `Cache-Control: no-cache`, which browsers' fetch() adds to every request that sets
 * If-None-Match itself; as the origin server we evaluate the precondition regardless.
 */
export function sendConditional(req: Request, res: Response, body: unknown): void {
  const etag = `"${createHash('sha1').update(JSON.stringify(body)).digest('base64url')}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  const held = String(req.headers['if-none-match'] ?? '')
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''));
  if (held.includes(etag) || held.includes('*')) {
    res.status(304).end();
    return;
  }
  res.json(body);
}
