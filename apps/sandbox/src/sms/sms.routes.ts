import { Router } from 'express';
import { badRequest, problem, sendProblem } from '../http/problem';
import { parseSourceBehaviour } from '../sources/behaviour';
import { requireBearer, requireIdempotencyKey, type InjectedFailures } from './channel-http';
import { parseSmsRequest, type SmsGateway } from './sms-gateway';

const BEHAVIOUR_HELP = 'Behaviour is { latencyMs?: 0..600000, failWith?: 503 | 500 | 429, failTimes?: integer >= 1 }.';

/** The SMS provider's API, as the dispatcher calls it. */
export function smsRoutes(gateway: SmsGateway, failures: InjectedFailures, token: string): Router {
  const router = Router();

  router.post('/sms/messages', (req, res, next) => {
    if (!requireBearer(req, res, token, 'sandbox SMS gateway')) return;
    failures.apply(res, 'The SMS gateway').then((failed) => {
      if (failed) return;
      const key = requireIdempotencyKey(req, res);
      if (key === undefined) return;
      const parsed = parseSmsRequest(req.body);
      if (!parsed.ok) return badRequest(res, `The message is not valid: ${parsed.errors.map((e) => e.detail).join(' ')}`, { errors: parsed.errors });
      const earlier = gateway.byIdempotencyKey(key);
      if (earlier) {
        const same = earlier.to === parsed.value.to && earlier.text === parsed.value.text && earlier.reference === (parsed.value.reference ?? null) && earlier.callbackUrl === (parsed.value.callbackUrl ?? null);
        if (!same) return sendProblem(res, problem(422, 'idempotency-key-reused', `Idempotency-Key "${key}" was used for a different message (${earlier.id}); use a new key for a new message.`));
        res.set('Idempotent-Replayed', 'true');
        return res.status(202).json({ id: earlier.id, status: 'accepted' });
      }
      const sms = gateway.accept(parsed.value, key);
      res.status(202).json({ id: sms.id, status: 'accepted' });
    }, next);
  });

  return router;
}

/** What the SMS gateway received and reported, and its injected failures. */
export function smsControlRoutes(gateway: SmsGateway, failures: InjectedFailures): Router {
  const router = Router();
  router.get('/_sandbox/sms', (req, res) => {
    const to = req.query.to;
    if (to !== undefined && typeof to !== 'string') return badRequest(res, 'Give to once, as a plain string (E.164, with the + encoded as %2B).');
    // An unencoded + arrives as a space: read it as the + of E.164.
    res.json({ messages: gateway.list(to ? { to: to.replace(/^ /, '+') } : {}) });
  });
  router.delete('/_sandbox/sms', (_req, res) => {
    gateway.clear();
    res.status(204).end();
  });
  router.get('/_sandbox/sms/behaviour', (_req, res) => {
    res.json({ behaviour: failures.current });
  });
  router.put('/_sandbox/sms/behaviour', (req, res) => {
    const parsed = parseSourceBehaviour(req.body);
    if (!parsed.ok) return badRequest(res, `${BEHAVIOUR_HELP} ${parsed.errors.join(' ')}`, { errors: parsed.errors });
    failures.set(parsed.behaviour);
    res.json({ behaviour: parsed.behaviour });
  });
  router.delete('/_sandbox/sms/behaviour', (_req, res) => {
    failures.clear();
    res.status(204).end();
  });
  return router;
}
