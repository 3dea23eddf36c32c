import { Router } from 'express';
import { badRequest, problem, sendProblem } from '../http/problem';
import type { Population } from './population';

/** Read access to the fixture population, for tests and demos (the registers answer the engine). */
export function populationRoutes(population: Population): Router {
  const router = Router();

  router.get('/_sandbox/population', (_req, res) => {
    res.json({ seed: population.seed, ...population.size });
  });

  router.get('/_sandbox/population/examples', (_req, res) => {
    res.json(population.examples());
  });

  // People living in one municipality (its NIS code), e.g. to pick a citizen of Gent and one of Leuven.
  router.get('/_sandbox/population/persons', (req, res) => {
    const code = typeof req.query.municipalityCode === 'string' ? req.query.municipalityCode : '';
    if (!/^\d{5}$/.test(code)) return badRequest(res, `Give ?municipalityCode= the municipality's NIS code, 5 digits (got "${code}").`);
    const limit = Math.min(Number(req.query.limit) || 10, 100);
    const found: string[] = [];
    for (const person of population.allPersons()) {
      if (found.length >= limit) break;
      if (population.address(person.addressId)?.municipalityCode === code) found.push(person.nationalNumber);
    }
    res.json({ municipalityCode: code, nationalNumbers: found });
  });

  router.get('/_sandbox/population/persons/:nn', (req, res) => {
    const nn = req.params.nn;
    if (!/^\d{11}$/.test(nn)) return badRequest(res, `A national number is 11 digits without dots or dashes (got "${nn}").`);
    const person = population.person(nn);
    if (!person) return sendProblem(res, problem(404, 'person-not-found', `No person with national number ${nn} in the sandbox population.`));
    res.json({
      ...structuredClone(person),
      address: population.address(person.addressId),
      household: population.residentsOf(person.addressId),
      enterprises: [...population.allEnterprises()].filter((e) => e.representatives.some((r) => r.nationalNumber === nn)).map((e) => e.enterpriseNumber),
    });
  });

  router.get('/_sandbox/population/enterprises/:number', (req, res) => {
    const number = req.params.number.replace(/\./g, '');
    if (!/^\d{10}$/.test(number)) return badRequest(res, `An enterprise number is 10 digits, dots allowed (got "${req.params.number}").`);
    const enterprise = population.enterprise(number);
    if (!enterprise) return sendProblem(res, problem(404, 'enterprise-not-found', `No enterprise with number ${number} in the sandbox population.`));
    res.json({ ...structuredClone(enterprise), seatAddress: population.address(enterprise.seatAddressId) });
  });

  return router;
}
