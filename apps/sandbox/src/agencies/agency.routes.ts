import { Router, type Request, type Response } from 'express';
import { verifyAgencyRequest } from '@levensloop/agency-client';
import { badRequest, problem, sendProblem } from '../http/problem';
import type { AgencySimulator } from './agency-simulator';

/** express.json keeps the exact bytes here (see app.ts): the signature covers their digest. */
export const rawBodyOf = (req: Request): Buffer => (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);

const MAX_KEY_LENGTH = 255;

/**
 * `POST /agencies/:agency/:service`: any agency and service answers (the demo ones with their
 * own fields, every other path with `{ status: 'done', reference }`). The engine sends
 * `{ journeyId, step, subject, data }` and an `Idempotency-Key` header.
 */
export function agencyRoutes(simulator: AgencySimulator, signingKeys: ReadonlyMap<string, Buffer> = new Map()): Router {
  const router = Router();

  /**
   * `POST /agencies/:agency/:service/compensate` undoes the service (a journey was cancelled after
   * the step completed): recorded as service `<service>/compensate`, once per idempotency key like
   * any call, so tests count the effective undoings.
   */
  router.post('/agencies/:agency/:service/compensate', (req, res) => handle(req, res, `${String(req.params.service)}/compensate`));
  router.post('/agencies/:agency/:service', (req, res) => handle(req, res, String(req.params.service)));

  async function handle(req: Request, res: Response, service: string) {
    const agency = String(req.params.agency);
    // An agency with a key accepts only calls signed with it (RFC 9421, see libs/agency-client).
    const key = signingKeys.get(agency);
    if (key) {
      const check = await verifyAgencyRequest({ method: req.method, url: `${req.protocol}://${req.get('host')}${req.originalUrl}`, headers: req.headers, body: rawBodyOf(req) }, agency, key);
      if (!check.ok) {
        res.setHeader('WWW-Authenticate', 'Signature');
        return sendProblem(res, problem(401, 'unsigned-call', `${agency} accepts only calls signed with its key: ${check.reason}.`, { agency, service }));
      }
    }
    const idempotencyKey = req.header('idempotency-key')?.trim();
    if (!idempotencyKey) {
      return sendProblem(res, problem(400, 'missing-idempotency-key', 'Send an Idempotency-Key header: an agency does the work once per key, however often the call is retried.'));
    }
    if (idempotencyKey.length > MAX_KEY_LENGTH) return badRequest(res, `The Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters.`);
    if (req.body !== undefined && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))) {
      return badRequest(res, 'The body must be a JSON object { journeyId, step, subject, data }.');
    }

    const answer = await simulator.handle(agency, service, idempotencyKey, req.body ?? {}, req.header('traceparent')?.trim() || undefined);
    res.locals.agencyCall = { agency, service, idempotencyKey, outcome: answer.outcome };
    if (answer.outcome === 'failed' && answer.location !== undefined) return res.redirect(answer.status, answer.location);
    if (answer.outcome === 'failed') return sendProblem(res, answer.body);
    if (answer.outcome === 'replayed') res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  }

  return router;
}
