import type { RequestHandler } from 'express';
import { normalizeIp, ThrottlerStorageService } from '@nestjs/throttler';
import { problem, sendProblem } from './problem';

/** At most `limit` requests in any `windowSeconds`, per client address (IPv6 per /64). */
export interface AddressLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * Limits a route per client address with the same sliding-window counter the gateway uses
 * (@nestjs/throttler's storage); over the limit: 429 problem+json with Retry-After.
 */
export function limitPerAddress(name: string, { limit, windowSeconds }: AddressLimit): RequestHandler {
  const storage = new ThrottlerStorageService();
  return (req, res, next) => {
    const address = normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    storage.increment(`${name}:${address}`, windowSeconds * 1000, limit, 0, name).then(({ isBlocked, timeToBlockExpire }) => {
      if (!isBlocked) return next();
      const retryAfter = Math.max(1, timeToBlockExpire);
      res.setHeader('Retry-After', String(retryAfter));
      sendProblem(res, problem(429, 'rate-limited', `Too many requests to ${name} from this address: at most ${limit} per ${windowSeconds} s. Try again in ${retryAfter} s.`));
    }, next);
  };
}

/** Parses "<requests>/<seconds>", e.g. 600/60. */
export function parseAddressLimit(raw: string): AddressLimit | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[2]) > 86_400) return undefined;
  return { limit: Number(m[1]), windowSeconds: Number(m[2]) };
}
