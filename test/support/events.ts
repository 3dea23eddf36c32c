import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '@levensloop/contracts/workflow';
import { nationalNumber } from '../../apps/sandbox/src/population/identifiers';
import type { Api } from './http';

/** Source events (CloudEvents 1.0) for tests: valid identifiers, events, and posting them. */

export { nationalNumber };

/** The n-th of a series of distinct valid national numbers of people born from `from` on. */
export function nthNationalNumber(n: number, from = '2026-01-01'): string {
  const date = new Date(`${from}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + Math.floor(n / 997));
  return nationalNumber(date.toISOString().slice(0, 10), (n % 997) + 1);
}

export const BIRTH_REGISTERED = 'be.national-register.birth.registered';
export const BIRTH_ANNULLED = 'be.national-register.birth.annulled';
export const PERSON_CORRECTED = 'be.national-register.person.corrected';

/** A CloudEvent as a source posts it (the inbox stores the same fields, without the content type). */
export interface TestCloudEvent extends StoredEvent {
  datacontenttype?: string;
}

export function birthEvent(child: string, parents: string[], opts: { id?: string; birthDate?: string; municipality?: string } = {}): TestCloudEvent {
  return {
    specversion: '1.0',
    id: opts.id ?? randomUUID(),
    source: 'national-register',
    type: BIRTH_REGISTERED,
    subject: child,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {
      child: { nationalNumber: child, birthDate: opts.birthDate ?? '2026-11-24', name: { given: 'Test', family: 'Kind' } },
      parents,
      municipality: opts.municipality ?? 'Gent',
    },
  };
}

export function annulmentEvent(child: string, id = randomUUID()): TestCloudEvent {
  return { specversion: '1.0', id, source: 'national-register', type: BIRTH_ANNULLED, subject: child, time: new Date().toISOString(), data: { child: { nationalNumber: child } } };
}

export function correctionEvent(person: string, fields: string[], id = randomUUID()): TestCloudEvent {
  return { specversion: '1.0', id, source: 'national-register', type: PERSON_CORRECTED, subject: person, time: new Date().toISOString(), data: { nationalNumber: person, fields } };
}

export const postEvent = (api: Api, event: unknown, contentType = 'application/cloudevents+json') =>
  api.post('/events', event, { 'content-type': contentType });

export const postBatch = (api: Api, events: unknown[]) => api.post('/events', events, { 'content-type': 'application/cloudevents-batch+json' });

/** Runs `fn` over `items` with at most `concurrency` at once; results in input order. */
export async function mapConcurrent<T, R>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}
