import { Router } from 'express';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { badRequest, problem, sendProblem } from '../http/problem';
import { parseSourceBehaviour } from './behaviour';
import type { SourceRegisters } from './registers';

const sourceKeys = Object.keys(SOURCE_CATALOG);

/** Controls of the simulated registers for tests and demos: behaviour per source, and the read log. */
export function sourceControlRoutes(registers: SourceRegisters): Router {
  const router = Router();

  router.get('/_sandbox/source-reads', (req, res) => {
    const filter: { source?: string; subject?: string } = {};
    for (const name of ['source', 'subject'] as const) {
      const value = req.query[name];
      if (value === undefined || value === '') continue;
      if (typeof value !== 'string') return badRequest(res, `Give ${name} once, as a plain string.`);
      filter[name] = value;
    }
    res.json({ reads: registers.reads(filter) });
  });
  router.delete('/_sandbox/source-reads', (_req, res) => {
    registers.clearReads();
    res.status(204).end();
  });

  router.get('/_sandbox/sources/behaviour', (_req, res) => {
    res.json({ behaviours: registers.listBehaviours() });
  });
  router.put('/_sandbox/sources/:source/behaviour', (req, res) => {
    const { source } = req.params;
    if (!sourceKeys.includes(source)) return sendProblem(res, problem(404, 'unknown-source', `There is no source "${source}"; the sources are ${sourceKeys.join(', ')}.`));
    const parsed = parseSourceBehaviour(req.body);
    if (!parsed.ok) {
      return badRequest(res, `Behaviour is { latencyMs?: 0..600000, failWith?: 503 | 500 | 429, failTimes?: integer >= 1 }. ${parsed.errors.join(' ')}`, { errors: parsed.errors });
    }
    res.json(registers.setBehaviour(source, parsed.behaviour));
  });
  router.delete('/_sandbox/sources/:source/behaviour', (req, res) => {
    const { source } = req.params;
    if (!sourceKeys.includes(source)) return sendProblem(res, problem(404, 'unknown-source', `There is no source "${source}"; the sources are ${sourceKeys.join(', ')}.`));
    registers.clearBehaviour(source);
    res.status(204).end();
  });
  router.delete('/_sandbox/sources/behaviour', (_req, res) => {
    registers.clearBehaviour();
    res.status(204).end();
  });

  return router;
}
