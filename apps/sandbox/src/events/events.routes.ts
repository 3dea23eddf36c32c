import { Router, type Request, type Response } from 'express';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { badRequest, problem, sendProblem } from '../http/problem';
import { NationalNumbersExhaustedError, type Population } from '../population/population';
import { MUNICIPALITIES } from '../population/places';
import { cloudEvent } from './cloud-event';
import type { EventPublisher, PublishedEvent } from './publisher';

export type Body = Record<string, unknown>;
type BodyParse = { ok: true; body: Body } | { ok: false; errors: string[] };

const NATIONAL_NUMBER = /^\d{11}$/;
const sourceKeys = Object.keys(SOURCE_CATALOG);
export const today = () => new Date().toISOString().slice(0, 10);

/** The body as an object with only the allowed fields (typos are refused, not ignored). */
export function bodyOf(req: Request, allowed: string[]): BodyParse {
  const input: unknown = req.body ?? {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, errors: ['The body must be a JSON object.'] };
  const body = input as Body;
  const errors = Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map((k) => `Unknown field "${k}"; use ${allowed.join(', ')}.`);
  if (body.deliver !== undefined && typeof body.deliver !== 'boolean') errors.push('deliver must be true or false.');
  return errors.length ? { ok: false, errors } : { ok: true, body };
}

export const refuse = (res: Response, errors: string[]) => badRequest(res, errors.join(' '), { errors });
export const unknownPerson = (res: Response, nn: string) => sendProblem(res, problem(404, 'person-not-found', `No person with national number ${nn} in the sandbox population.`));
export const answer = (res: Response, published: PublishedEvent, extra: Record<string, unknown> = {}) =>
  res.status(201).json({ event: published.event, delivery: published.delivery, ...extra });

/**
 * Source events for tests and demos: each control call changes the population the way the
 * register would (a birth, a move, a correction, a new enterprise) and publishes the matching
 * CloudEvent to SANDBOX_EVENTS_URL. Change events carry only what changed, not the new values
 * (MAGDA-style): consumers read the record again.
 */
export function eventRoutes(population: Population, publisher: EventPublisher): Router {
  const router = Router();
  // Only births registered here may be annulled: the fixture population stays intact.
  const registeredBirths = new Set<string>();

  router.post('/_sandbox/events/births', async (req, res) => {
    const parsed = bodyOf(req, ['parents', 'deliver']);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const { body } = parsed;
    const parents = body.parents ?? population.examples().flemishCouple.parents;
    if (!Array.isArray(parents) || parents.length < 1 || parents.length > 2 || !parents.every((p) => typeof p === 'string' && NATIONAL_NUMBER.test(p))) {
      return refuse(res, ['parents must be a list of one or two national numbers (11 digits), e.g. the flemishCouple of GET /_sandbox/population/examples.']);
    }
    if (new Set(parents).size !== parents.length) return refuse(res, ['parents must be two different persons.']);
    const missing = (parents as string[]).find((p) => !population.person(p));
    if (missing) return unknownPerson(res, missing);

    let child;
    try {
      child = population.registerBirth(parents as string[], today());
    } catch (err) {
      if (err instanceof NationalNumbersExhaustedError) return sendProblem(res, problem(409, 'national-numbers-exhausted', err.message));
      throw err;
    }
    registeredBirths.add(child.nationalNumber);
    const home = population.address(child.addressId)!;
    const event = cloudEvent('national-register', 'birth.registered', child.nationalNumber, {
      child: { nationalNumber: child.nationalNumber, birthDate: child.birthDate, name: { ...child.name } },
      parents: [...child.parents],
      municipality: home.municipality,
      municipalityCode: home.municipalityCode,
      region: home.region,
    });
    answer(res, await publisher.publish(event, event.source, body.deliver !== false));
  });

  router.post('/_sandbox/events/births/:nn/annul', async (req, res) => {
    const parsed = bodyOf(req, ['deliver']);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const { nn } = req.params;
    if (!population.person(nn)) return unknownPerson(res, nn);
    if (!registeredBirths.has(nn)) {
      return sendProblem(res, problem(409, 'not-a-registered-birth', `${nn} was not registered by POST /_sandbox/events/births; only those births can be annulled.`));
    }
    population.remove(nn);
    registeredBirths.delete(nn);
    const event = cloudEvent('national-register', 'birth.annulled', nn, { child: { nationalNumber: nn } });
    answer(res, await publisher.publish(event, event.source, parsed.body.deliver !== false));
  });

  router.post('/_sandbox/events/persons/:nn/move', async (req, res) => {
    const parsed = bodyOf(req, ['postalCode', 'deliver']);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const { nn } = req.params;
    const { postalCode, deliver } = parsed.body;
    if (postalCode !== undefined && (typeof postalCode !== 'string' || !MUNICIPALITIES.some((m) => m.postalCode === postalCode))) {
      return refuse(res, [`postalCode must be one of the sandbox's municipalities: ${MUNICIPALITIES.map((m) => `${m.postalCode} ${m.name}`).join(', ')}.`]);
    }
    if (!population.person(nn)) return unknownPerson(res, nn);
    const { moved, address } = population.move(nn, postalCode as string | undefined);
    // Every record that changed gets its event; the caller's person first.
    const published: PublishedEvent[] = [];
    for (const who of [nn, ...moved.filter((m) => m !== nn)]) {
      const event = cloudEvent('national-register', 'person.changed', who, { nationalNumber: who });
      published.push(await publisher.publish(event, event.source, deliver !== false));
    }
    answer(res, published[0], {
      moved,
      address: { id: address.id, postalCode: address.postalCode, municipality: address.municipality, region: address.region },
      household: published.slice(1).map((p) => ({ event: p.event, delivery: p.delivery })),
    });
  });

  router.post('/_sandbox/events/persons/:nn/correct', async (req, res) => {
    const parsed = bodyOf(req, ['name', 'deliver']);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const { nn } = req.params;
    const name = parsed.body.name as Record<string, unknown> | undefined;
    const errors: string[] = [];
    if (!name || typeof name !== 'object' || Array.isArray(name) || (name.given === undefined && name.family === undefined)) {
      errors.push('name is required: { given?, family? } with at least one of them.');
    } else {
      for (const key of Object.keys(name)) if (key !== 'given' && key !== 'family') errors.push(`Unknown field "name.${key}"; use given, family.`);
      for (const key of ['given', 'family'] as const) {
        const v = name[key];
        if (v !== undefined && (typeof v !== 'string' || !v.trim() || v.length > 100)) errors.push(`name.${key} must be a non-empty string of at most 100 characters.`);
      }
    }
    if (errors.length) return refuse(res, errors);
    if (!population.person(nn)) return unknownPerson(res, nn);
    const fields = population.correctName(nn, { given: (name!.given as string | undefined)?.trim(), family: (name!.family as string | undefined)?.trim() });
    if (!fields.length) return refuse(res, ['The correction changes nothing: the register already holds this name.']);
    const event = cloudEvent('national-register', 'person.corrected', nn, { nationalNumber: nn, fields });
    answer(res, await publisher.publish(event, event.source, parsed.body.deliver !== false));
  });

  router.post('/_sandbox/events/enterprises', async (req, res) => {
    const parsed = bodyOf(req, ['founder', 'name', 'activityCodes', 'deliver']);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const { founder, name, activityCodes, deliver } = parsed.body;
    const errors: string[] = [];
    if (typeof founder !== 'string' || !NATIONAL_NUMBER.test(founder)) errors.push('founder is required: the national number (11 digits) of the person who starts the business.');
    if (name !== undefined && (typeof name !== 'string' || !name.trim() || name.length > 200)) errors.push('name must be a non-empty string of at most 200 characters.');
    if (
      activityCodes !== undefined &&
      (!Array.isArray(activityCodes) || !activityCodes.length || activityCodes.length > 10 || !activityCodes.every((c) => typeof c === 'string' && /^\d{5}$/.test(c)))
    ) {
      errors.push('activityCodes must be a list of 1 to 10 NACE-BEL codes of 5 digits, e.g. ["56301"].');
    }
    if (errors.length) return refuse(res, errors);
    if (!population.person(founder as string)) return unknownPerson(res, founder as string);
    const enterprise = population.registerEnterprise(founder as string, today(), (name as string | undefined)?.trim(), activityCodes as string[] | undefined);
    const event = cloudEvent('enterprise-register', 'enterprise.registered', enterprise.enterpriseNumber, {
      enterprise: { enterpriseNumber: enterprise.enterpriseNumber, name: enterprise.name, founder, activityCodes: [...enterprise.activityCodes] },
    });
    answer(res, await publisher.publish(event, event.source, deliver !== false));
  });

  router.post('/_sandbox/events/deliver', async (req, res) => {
    const parsed = bodyOf(req, ['event', 'source']);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const { event, source } = parsed.body;
    if (!event || typeof event !== 'object' || Array.isArray(event)) return refuse(res, ['event is required: the CloudEvent to deliver, as a JSON object (sent as given).']);
    const tokenSource = source ?? (event as Body).source;
    if (typeof tokenSource !== 'string' || !sourceKeys.includes(tokenSource)) {
      return refuse(res, [`The token is minted for event.source, or for source when given: one of ${sourceKeys.join(', ')} (got ${JSON.stringify(tokenSource)}).`]);
    }
    answer(res, await publisher.publish(event as Body, tokenSource));
  });

  router.get('/_sandbox/events', (req, res) => {
    const filter: { type?: string; subject?: string } = {};
    for (const name of ['type', 'subject'] as const) {
      const value = req.query[name];
      if (value === undefined || value === '') continue;
      if (typeof value !== 'string') return badRequest(res, `Give ${name} once, as a plain string.`);
      filter[name] = value;
    }
    res.json({ events: publisher.events(filter) });
  });
  router.delete('/_sandbox/events', (_req, res) => {
    publisher.clear();
    res.status(204).end();
  });

  return router;
}
