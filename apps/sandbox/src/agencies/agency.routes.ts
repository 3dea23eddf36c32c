import { Router } from 'express';
import { badRequest, problem, sendProblem } from '../http/problem';
import type { AgencySimulator } from './agency-simulator';

const MAX_KEY_LENGTH = 255;

/**
 * `POST /agencies/:agency/:service`: any agency and service answers (the demo ones with their
 * own fields, every other path with `{ status: 'done', reference }`). The engine sends
 * `{ journeyId, step, subject, data }` and an `Idempotency-Key` header.
 */
export function agencyRoutes(simulator: AgencySimulator): Router {
  const router = Router();

  router.post('/agencies/:agency/:service', async (req, res) => {
    const { agency, service } = req.params;
    const key = req.header('idempotency-key')?.trim();
    if (!key) {
      return sendProblem(res, problem(400, 'missing-idempotency-key', 'Send an Idempotency-Key header: an agency does the work once per key, however often the call is retried.'));
    }
    if (key.length > MAX_KEY_LENGTH) return badRequest(res, `The Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters.`);
    if (req.body !== undefined && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))) {
      return badRequest(res, 'The body must be a JSON object { journeyId, step, subject, data }.');
    }

    const answer = await simulator.handle(agency, service, key, req.body ?? {});
    res.locals.agencyCall = { agency, service, idempotencyKey: key, outcome: answer.outcome };
    if (answer.outcome === 'failed') return sendProblem(res, answer.body);
    if (answer.outcome === 'replayed') res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  return router;
}
