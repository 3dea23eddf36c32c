import { Router, type Request, type Response } from 'express';
import { verifyAgencyRequest } from '@levensloop/agency-client';
import { problem, sendProblem } from '../http/problem';
import { rawBodyOf } from '../agencies/agency.routes';
import { AgencyCalendars, CalendarError, type CalendarSlot } from './calendar';

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const slotOf = (data: unknown): CalendarSlot | undefined => {
  const slot = isRecord(data) ? data.slot : undefined;
  return isRecord(slot) && typeof slot.start === 'string' && typeof slot.end === 'string' ? { start: slot.start, end: slot.end } : undefined;
};

/**
 * The agencies' calendar services, as the engine calls any agency endpoint (POST, signed when
 * the agency has a key, `Idempotency-Key`, `{ journeyId, step, subject, data }`):
 * `/agencies/:agency/calendars/:calendar/slots` (data `{ from, to, durationMinutes }`),
 * `…/bookings` (data `{ slot }`), `…/bookings/:id/move` (data `{ slot }`), `…/bookings/:id/cancel`.
 * A taken slot is a 409 problem.
 */
export function calendarRoutes(calendars: AgencyCalendars, signingKeys: ReadonlyMap<string, Buffer> = new Map()): Router {
  const router = Router();

  async function guard(req: Request, res: Response): Promise<{ agency: string; calendar: string; key: string; body: Record<string, unknown> } | undefined> {
    const agency = String(req.params.agency);
    const key = signingKeys.get(agency);
    if (key) {
      const check = await verifyAgencyRequest({ method: req.method, url: `${req.protocol}://${req.get('host')}${req.originalUrl}`, headers: req.headers, body: rawBodyOf(req) }, agency, key);
      if (!check.ok) {
        res.setHeader('WWW-Authenticate', 'Signature');
        sendProblem(res, problem(401, 'unsigned-call', `${agency} accepts only calls signed with its key: ${check.reason}.`));
        return undefined;
      }
    }
    const idempotencyKey = req.header('idempotency-key')?.trim();
    if (!idempotencyKey || idempotencyKey.length > 255) {
      sendProblem(res, problem(400, 'missing-idempotency-key', 'Send an Idempotency-Key header (at most 255 characters): the calendar books, moves and cancels once per key.'));
      return undefined;
    }
    return { agency, calendar: String(req.params.calendar), key: idempotencyKey, body: isRecord(req.body) ? req.body : {} };
  }

  function answer(res: Response, run: () => { booking: { id: string; start: string; end: string; status: string }; replayed: boolean }, status = 200) {
    try {
      const { booking, replayed } = run();
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(status).json({ booking: { id: booking.id, start: booking.start, end: booking.end, status: booking.status } });
    } catch (err) {
      if (err instanceof CalendarError) return sendProblem(res, problem(err.status, err.status === 409 ? 'slot-taken' : err.status === 404 ? 'no-booking' : 'not-a-slot', err.message));
      throw err;
    }
  }

  router.post('/agencies/:agency/calendars/:calendar/slots', async (req, res) => {
    const call = await guard(req, res);
    if (!call) return;
    const data = isRecord(call.body.data) ? call.body.data : {};
    const from = Date.parse(String(data.from));
    const to = Date.parse(String(data.to));
    const minutes = Number(data.durationMinutes ?? 30);
    if (!Number.isFinite(from) || !Number.isFinite(to) || !(minutes >= 5 && minutes <= 480)) {
      return sendProblem(res, problem(400, 'bad-period', 'data needs from and to (ISO-8601) and durationMinutes (5 to 480).'));
    }
    res.json({ slots: calendars.free(call.agency, call.calendar, from, to, minutes * 60_000) });
  });

  router.post('/agencies/:agency/calendars/:calendar/bookings', async (req, res) => {
    const call = await guard(req, res);
    if (!call) return;
    const slot = slotOf(call.body.data);
    if (!slot) return sendProblem(res, problem(400, 'no-slot', 'data.slot { start, end } is required.'));
    const who = { ...(typeof call.body.journeyId === 'string' ? { journeyId: call.body.journeyId } : {}), ...(typeof call.body.step === 'string' ? { step: call.body.step } : {}) };
    answer(res, () => calendars.book(call.agency, call.calendar, call.key, slot, who), 201);
  });

  router.post('/agencies/:agency/calendars/:calendar/bookings/:id/move', async (req, res) => {
    const call = await guard(req, res);
    if (!call) return;
    const slot = slotOf(call.body.data);
    if (!slot) return sendProblem(res, problem(400, 'no-slot', 'data.slot { start, end } is required.'));
    answer(res, () => calendars.move(call.agency, call.calendar, String(req.params.id), call.key, slot));
  });

  router.post('/agencies/:agency/calendars/:calendar/bookings/:id/cancel', async (req, res) => {
    const call = await guard(req, res);
    if (!call) return;
    answer(res, () => calendars.cancel(call.agency, call.calendar, String(req.params.id), call.key));
  });

  return router;
}

/** Test controls: the bookings made, and a slot taken by someone else (to show a slot taken meanwhile). */
export function calendarControlRoutes(calendars: AgencyCalendars): Router {
  const router = Router();
  router.get('/_sandbox/calendars/bookings', (_req, res) => res.json({ items: calendars.list() }));
  router.post('/_sandbox/calendars/:agency/:calendar/take', (req, res) => {
    const start = isRecord(req.body) ? req.body.start : undefined;
    if (typeof start !== 'string' || !Number.isFinite(Date.parse(start))) return sendProblem(res, problem(400, 'bad-start', 'Send { "start": "<ISO-8601 instant>" }.'));
    calendars.take(String(req.params.agency), String(req.params.calendar), start);
    res.status(204).end();
  });
  return router;
}
