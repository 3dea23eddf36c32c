import { createHash } from 'node:crypto';
import type { LandRegistry } from '../population/land-registry';
import type { Population } from '../population/population';
import type { AgencyRequest, AgencyResult } from './agency-services';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const reference = (agency: string, service: string, key: string) =>
  `${agency.replace(/[^a-z0-9]/gi, '').slice(0, 3).toUpperCase()}-${digest(`${agency}/${service}/${key}`).slice(0, 10).toUpperCase()}`;

const object = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** The person the engine calls about (`subject.id` of a person). */
const personOf = (body: AgencyRequest): string | undefined => {
  const subject = object(body.subject);
  return subject.type === 'person' && typeof subject.id === 'string' ? subject.id : undefined;
};

/** The address id the step read from the national register (`fields.national-register.address.id`). */
const addressIdOf = (body: AgencyRequest): string | undefined => {
  const id = object(object(object(body.fields)['national-register']).address).id;
  return typeof id === 'string' ? id : undefined;
};

/**
 * The services of "moving house" that answer from the sandbox's registers:
 * - `land-registry/ownership`: whether the person owns the dwelling at their (new) main residence,
 *   as the land registry records it (`owner`, the condition of the municipality's waste tax);
 * - `vehicle-register/update-address`: the vehicle register writes the new address on the person's
 *   vehicles (`vehiclesUpdated`: how many, stable per person) and sends new registration papers.
 * Other services are left to `performService`.
 */
export function movingHouseServices(population: Population, landRegistry: LandRegistry) {
  return (agency: string, service: string, idempotencyKey: string, body: AgencyRequest): AgencyResult | undefined => {
    const ref = reference(agency, service, idempotencyKey);
    const person = personOf(body);
    switch (`${agency}/${service}`) {
      case 'land-registry/ownership': {
        const addressId = addressIdOf(body) ?? (person ? population.person(person)?.addressId : undefined);
        return { status: 'done', reference: ref, owner: !!person && !!addressId && landRegistry.owns(person, addressId) };
      }
      case 'vehicle-register/update-address': {
        const vehicles = person ? parseInt(digest(`vehicles:${person}`).slice(0, 8), 16) % 3 : 0;
        return { status: 'done', reference: ref, vehiclesUpdated: vehicles, registrationCertificateSent: vehicles > 0 };
      }
      default:
        return undefined;
    }
  };
}
