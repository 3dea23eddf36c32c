import { Router, type Request } from 'express';
import { badRequest } from '../http/problem';
import type { AgencySimulator, CallFilter, CallOutcome } from './agency-simulator';
import { parseBehaviour } from './behaviour';

const OUTCOMES: readonly CallOutcome[] = ['effective', 'replayed', 'failed'];

type FilterParse = { ok: true; filter: CallFilter } | { ok: false; error: string };

function filterFrom(req: Request): FilterParse {
  const q = req.query as Record<string, unknown>;
  const filter: CallFilter = {};
  for (const name of ['agency', 'service', 'key', 'outcome'] as const) {
    const value = q[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') return { ok: false, error: `Give ${name} once, as a plain string.` };
    if (name === 'outcome') {
      if (!(OUTCOMES as readonly string[]).includes(value)) return { ok: false, error: `outcome must be one of ${OUTCOMES.join(', ')}.` };
      filter.outcome = value as CallOutcome;
    } else filter[name] = value;
  }
  return { ok: true, filter };
}

/**
 * The sandbox's control API for tests and demos: call records, and failure/latency injection
 * per agency service (`*` matches any agency or any service).
 */
export function controlRoutes(simulator: AgencySimulator): Router {
  const router = Router();

  router.get('/_sandbox/calls', (req, res) => {
    const parsed = filterFrom(req);
    if (!parsed.ok) return badRequest(res, parsed.error);
    res.json({ calls: simulator.calls(parsed.filter), dropped: simulator.droppedCalls });
  });
  router.get('/_sandbox/calls/summary', (req, res) => {
    const parsed = filterFrom(req);
    if (!parsed.ok) return badRequest(res, parsed.error);
    res.json({ summary: simulator.summary(parsed.filter) });
  });
  router.delete('/_sandbox/calls', (_req, res) => {
    simulator.clearCalls();
    res.status(204).end();
  });

  router.get('/_sandbox/behaviour', (_req, res) => {
    res.json({ behaviours: simulator.listBehaviours() });
  });
  router.put('/_sandbox/behaviour/:agency/:service', (req, res) => {
    const parsed = parseBehaviour(req.body);
    if (!parsed.ok) {
      return badRequest(res, `Behaviour is { failTimes?: integer >= 0, failPermanently?: boolean, latencyMs?: 0..600000, status?: 400..599 }. ${parsed.errors.join(' ')}`, { errors: parsed.errors });
    }
    res.json(simulator.setBehaviour(req.params.agency, req.params.service, parsed.behaviour));
  });
  router.delete('/_sandbox/behaviour/:agency/:service', (req, res) => {
    simulator.clearBehaviour(req.params.agency, req.params.service);
    res.status(204).end();
  });
  router.delete('/_sandbox/behaviour', (_req, res) => {
    simulator.clearBehaviour();
    res.status(204).end();
  });

  return router;
}
