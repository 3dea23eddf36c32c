import { addressLines } from '../address';
import { defineChannel } from './spec';

/**
 * A paper letter: when no channel that reaches the person by itself carries the message (nobody
 * depends on a device to be told), or when the person asked for paper. The address is the postal
 * address as JSON.
 */
export const letterChannel = defineChannel({
  key: 'letter',
  reachesByItself: false,
  needs: { field: 'postalAddress', unknown: 'no postal address is known', choiceNeeds: 'a letter needs a postal address' },
  offers: ({ contact, reachedSoFar }) => !reachedSoFar || !!contact.chosen?.includes('letter'),
  address: (contact) => (contact.postalAddress ? JSON.stringify(contact.postalAddress) : null),
  // The postal code and municipality, no street.
  mask: (address) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(address);
    } catch {
      return '***';
    }
    if (!parsed || typeof parsed !== 'object') return '***';
    const a = parsed as Record<string, unknown>;
    const city = [a.postalCode, a.municipality].filter((v) => typeof v === 'string' && v).join(' ');
    if (city) return `*** ${city}`;
    const lines = addressLines(a);
    return lines.length ? `*** ${lines[lines.length - 1]}` : '***';
  },
  defaultRate: { ratePerSecond: 50, burst: 100 },
});
