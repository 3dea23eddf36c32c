import { Router } from 'express';
import type { LandRegistry } from '../population/land-registry';
import { TENURES, type Tenure } from '../population/land-registry';
import { MUNICIPALITIES } from '../population/places';
import type { Population } from '../population/population';
import { Prng } from '../population/prng';
import { cloudEvent } from './cloud-event';
import { answer, bodyOf, refuse, today, unknownPerson } from './events.routes';
import type { EventPublisher } from './publisher';

const NATIONAL_NUMBER = /^\d{11}$/;

/** Adults (18 or older today): the people who register a move themselves. */
function adultsOf(population: Population): string[] {
  const now = new Date();
  const cutoff = `${now.getUTCFullYear() - 18}${now.toISOString().slice(4, 10)}`;
  return [...population.allPersons()].filter((p) => p.birthDate <= cutoff).map((p) => p.nationalNumber);
}

/**
 * `POST /_sandbox/events/moves`: a person moves house. The sandbox moves them (and their household)
 * to a new address in another real municipality (or the one whose `postalCode` is given), records
 * in the land registry whether they own the new dwelling (`tenure`), and the address register
 * publishes `be.address-register.address.changed` for the person: the new address's NIS code,
 * postal code, street and number, the previous municipality and the date of the move. From then on
 * the registers answer the new address. Without `person` a real adult of the population is picked.
 */
export function moveRoutes(population: Population, landRegistry: LandRegistry, publisher: EventPublisher): Router {
  const router = Router();
  const picker = new Prng(`${population.seed}:moves`);
  let adults: string[] | undefined;

  router.post('/_sandbox/events/moves', async (req, res) => {
    const parsed = bodyOf(req, ['person', 'postalCode', 'tenure', 'deliver']);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const { person, postalCode, tenure, deliver } = parsed.body;
    const errors: string[] = [];
    if (person !== undefined && (typeof person !== 'string' || !NATIONAL_NUMBER.test(person))) errors.push('person must be a national number (11 digits), e.g. a parent of GET /_sandbox/population/examples.');
    if (postalCode !== undefined && (typeof postalCode !== 'string' || !MUNICIPALITIES.some((m) => m.postalCode === postalCode))) {
      errors.push(`postalCode must be one of the sandbox's municipalities: ${MUNICIPALITIES.map((m) => `${m.postalCode} ${m.name}`).join(', ')}.`);
    }
    if (tenure !== undefined && !TENURES.includes(tenure as Tenure)) errors.push(`tenure must be one of ${TENURES.join(', ')}: whether the person owns the new dwelling (the land registry records it).`);
    if (errors.length) return refuse(res, errors);

    let nn = person as string | undefined;
    if (nn === undefined) {
      adults ??= adultsOf(population);
      nn = picker.pick(adults.filter((a) => population.person(a)));
    }
    const mover = population.person(nn);
    if (!mover) return unknownPerson(res, nn);

    const previous = population.address(mover.addressId)!;
    const { moved, address } = population.move(nn, postalCode as string | undefined);
    // The owners who live there: the mover, and their partner when they moved along.
    const owners = [nn, ...(mover.partner && moved.includes(mover.partner) ? [mover.partner] : [])];
    const newTenure = (tenure as Tenure | undefined) ?? landRegistry.defaultTenure(nn, address.id);
    landRegistry.record(address.id, newTenure, owners);

    const event = cloudEvent('address-register', 'address.changed', nn, {
      person: { nationalNumber: nn },
      address: { municipalityCode: address.municipalityCode, postalCode: address.postalCode, street: address.street, houseNumber: address.houseNumber },
      previousMunicipalityCode: previous.municipalityCode,
      movedOn: today(),
    });
    answer(res, await publisher.publish(event, event.source, deliver !== false), {
      moved,
      tenure: newTenure,
      address: { id: address.id, street: address.street, houseNumber: address.houseNumber, postalCode: address.postalCode, municipality: address.municipality, municipalityCode: address.municipalityCode, region: address.region },
      previousAddress: { id: previous.id, municipality: previous.municipality, municipalityCode: previous.municipalityCode },
    });
  });

  return router;
}
