import { Router } from 'express';
import { badRequest, problem, sendProblem } from '../http/problem';
import type { MailFilter, MailSink } from './mail-sink';

/** Reading what the SMTP sink received, and switching it off and on. */
export function mailControlRoutes(sink: MailSink): Router {
  const router = Router();

  router.get('/_sandbox/mail', (req, res) => {
    const filter: MailFilter = {};
    for (const name of ['to', 'subject'] as const) {
      const value = req.query[name];
      if (value === undefined || value === '') continue;
      if (typeof value !== 'string') return badRequest(res, `Give ${name} once, as a plain string.`);
      filter[name] = value;
    }
    res.json({ messages: sink.list(filter), duplicates: sink.duplicates });
  });
  router.delete('/_sandbox/mail', (_req, res) => {
    sink.clear();
    res.status(204).end();
  });

  router.get('/_sandbox/mail/behaviour', (_req, res) => {
    res.json({ down: sink.down, port: sink.port ?? null });
  });
  router.put('/_sandbox/mail/behaviour', (req, res, next) => {
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).some((k) => k !== 'down') || typeof (body as { down?: unknown }).down !== 'boolean') {
      return badRequest(res, 'Behaviour is { down: boolean }: true stops the SMTP server listening (connection refused), false or DELETE brings it back on the same port.');
    }
    if (sink.port === undefined) {
      return sendProblem(res, problem(409, 'smtp-not-listening', 'The SMTP sink is not listening in this sandbox (start it with SANDBOX_SMTP_PORT or startSandbox({ smtpPort })).'));
    }
    const down = (body as { down: boolean }).down;
    (down ? sink.setDown() : sink.setUp()).then(() => res.json({ down: sink.down, port: sink.port }), next);
  });
  router.delete('/_sandbox/mail/behaviour', (_req, res, next) => {
    sink.setUp().then(() => res.status(204).end(), next);
  });

  return router;
}
