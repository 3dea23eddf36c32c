import { Router } from 'express';
import { badRequest, problem, sendProblem } from '../http/problem';
import { parseSourceBehaviour } from '../sources/behaviour';
import { requireBearer, requireIdempotencyKey, type InjectedFailures } from '../sms/channel-http';
import { DOSSIER_NUMBER, parseDossierUpdate, parseNotification, type Ecounter, type NotificationRequest } from './ecounter';

const BEHAVIOUR_HELP = 'Behaviour is { latencyMs?: 0..600000, failWith?: 503 | 500 | 429, failTimes?: integer >= 1 }.';
const REALM = 'sandbox e-counter';

const sameNotification = (a: NotificationRequest, b: NotificationRequest) =>
  JSON.stringify([a.recipient.type, a.recipient.id, a.category, a.title, a.body, a.link, a.transactionId, a.actionNeeded, a.language, a.expiresAt ?? null]) ===
  JSON.stringify([b.recipient.type, b.recipient.id, b.category, b.title, b.body, b.link, b.transactionId, b.actionNeeded, b.language, b.expiresAt ?? null]);

/** The e-counters' push API (Mijn Burgerprofiel for persons, e-Loket for enterprises): notifications and dossier status. */
export function ecounterRoutes(ecounter: Ecounter, failures: InjectedFailures, token: string): Router {
  const router = Router();

  router.post('/ecounter/notifications', (req, res, next) => {
    if (!requireBearer(req, res, token, REALM)) return;
    failures.apply(res, 'The e-counter').then((failed) => {
      if (failed) return;
      const key = requireIdempotencyKey(req, res);
      if (key === undefined) return;
      const parsed = parseNotification(req.body);
      if (!parsed.ok) return badRequest(res, `The notification is not valid: ${parsed.errors.map((e) => e.detail).join(' ')}`, { errors: parsed.errors });
      const earlier = ecounter.notificationByKey(key);
      if (earlier) {
        if (!sameNotification(earlier, parsed.value)) {
          return sendProblem(res, problem(422, 'idempotency-key-reused', `Idempotency-Key "${key}" was used for a different notification (${earlier.id}); use a new key for a new notification.`));
        }
        res.set('Idempotent-Replayed', 'true');
        return res.status(202).json({ id: earlier.id });
      }
      res.status(202).json({ id: ecounter.addNotification(parsed.value, key).id });
    }, next);
  });

  router.put('/ecounter/dossiers/:dossierNumber', (req, res, next) => {
    if (!requireBearer(req, res, token, REALM)) return;
    failures.apply(res, 'The e-counter').then((failed) => {
      if (failed) return;
      const { dossierNumber } = req.params;
      const errors = DOSSIER_NUMBER.test(dossierNumber) ? [] : [{ pointer: '', detail: 'The dossier number (in the path) must be 1 to 128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit.' }];
      const parsed = parseDossierUpdate(req.body);
      if (!parsed.ok) errors.push(...parsed.errors);
      if (errors.length || !parsed.ok) return badRequest(res, `The dossier status is not valid: ${errors.map((e) => e.detail).join(' ')}`, { errors });
      res.json(ecounter.putDossier(dossierNumber, parsed.value));
    }, next);
  });

  return router;
}

/** The counters as the citizen or company sees them, and the receiver's injected failures. */
export function ecounterControlRoutes(ecounter: Ecounter, failures: InjectedFailures): Router {
  const router = Router();
  router.get('/_sandbox/ecounter/citizens/:id/dossiers', (req, res) => {
    res.json({ dossiers: ecounter.dossiersOf(req.params.id) });
  });
  router.get('/_sandbox/ecounter/citizens/:id/notifications', (req, res) => {
    res.json({ notifications: ecounter.notificationsOf(req.params.id) });
  });
  router.get('/_sandbox/ecounter/dossiers/:dossierNumber', (req, res) => {
    const dossier = ecounter.dossier(req.params.dossierNumber);
    if (!dossier) return sendProblem(res, problem(404, 'unknown-dossier', `The e-counter has received no status for dossier "${req.params.dossierNumber}".`));
    res.json(dossier);
  });
  router.delete('/_sandbox/ecounter', (_req, res) => {
    ecounter.clear();
    res.status(204).end();
  });
  router.get('/_sandbox/ecounter/behaviour', (_req, res) => {
    res.json({ behaviour: failures.current });
  });
  router.put('/_sandbox/ecounter/behaviour', (req, res) => {
    const parsed = parseSourceBehaviour(req.body);
    if (!parsed.ok) return badRequest(res, `${BEHAVIOUR_HELP} ${parsed.errors.join(' ')}`, { errors: parsed.errors });
    failures.set(parsed.behaviour);
    res.json({ behaviour: parsed.behaviour });
  });
  router.delete('/_sandbox/ecounter/behaviour', (_req, res) => {
    failures.clear();
    res.status(204).end();
  });
  return router;
}
