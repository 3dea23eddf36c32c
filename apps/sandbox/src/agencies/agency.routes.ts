import { Router, type Request, type Response } from 'express';
import type { AgencySimulator, Behaviour } from './agency-simulator';

const problem = (res: Response, status: number, detail: string) =>
  res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title: 'Bad request', status, detail }));

/** Agency endpoints and the sandbox's control API (behaviour injection, call records). */
export function agencyRoutes(simulator: AgencySimulator): Router {
  const router = Router();

  router.post('/agencies/:agency/:service', async (req: Request, res: Response) => {
    const key = req.header('idempotency-key');
    if (!key) return problem(res, 400, 'Send an Idempotency-Key header: agencies do the work once per key.');
    const { agency, service } = req.params as { agency: string; service: string };
    const result = await simulator.handle(agency, service, key, req.body);
    if (result.outcome === 'replayed') res.setHeader('Idempotent-Replayed', 'true');
    res.status(result.status).type(result.status >= 400 ? 'application/problem+json' : 'application/json').send(JSON.stringify(result.body));
  });

  router.get('/_sandbox/calls', (req, res) => {
    const { agency, service, key } = req.query as Record<string, string | undefined>;
    res.json({
      calls: simulator.calls.filter((c) => (!agency || c.agency === agency) && (!service || c.service === service) && (!key || c.idempotencyKey === key)),
    });
  });
  router.get('/_sandbox/calls/summary', (_req, res) => res.json({ summary: simulator.summary() }));
  router.delete('/_sandbox/calls', (_req, res) => {
    simulator.clearCalls();
    res.status(204).end();
  });

  router.get('/_sandbox/behaviour', (_req, res) => res.json(simulator.listBehaviours()));
  router.put('/_sandbox/behaviour/:agency/:service', (req, res) => {
    const b = req.body as Behaviour;
    const ok =
      b && typeof b === 'object' &&
      (b.failTimes === undefined || (Number.isInteger(b.failTimes) && b.failTimes >= 0)) &&
      (b.failPermanently === undefined || typeof b.failPermanently === 'boolean') &&
      (b.latencyMs === undefined || (Number.isInteger(b.latencyMs) && b.latencyMs >= 0 && b.latencyMs <= 600_000)) &&
      (b.status === undefined || (Number.isInteger(b.status) && b.status >= 400 && b.status <= 599));
    if (!ok) return problem(res, 400, 'Behaviour is { failTimes?: integer >= 0, failPermanently?: boolean, latencyMs?: 0..600000, status?: 400..599 }.');
    simulator.setBehaviour(req.params.agency, req.params.service, b);
    res.json(simulator.listBehaviours());
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
