import { LANGUAGES, type Language } from '@levensloop/domain';
import { categoryOf } from '../categories';
import { CHANNEL_SPECS, type Channel } from './registry';

/** What the engine knows about how to reach a person: their own choices first, else the register's. */
export interface ContactRecord {
  language?: string | null;
  channels?: string[] | null;
  email?: string | null;
  phone?: string | null;
  postalAddress?: Record<string, unknown> | null;
  /** What was read from the national register (`prefilled`). */
  prefilled?: { language?: string; email?: string; phone?: string; address?: Record<string, unknown>; name?: string } | null;
}

export interface EffectiveContact {
  language: Language;
  email?: string;
  phone?: string;
  postalAddress?: Record<string, unknown>;
  name?: string;
  /** Channels the person chose; undefined: no choice made (the defaults apply). */
  chosen?: Channel[];
}

const isLanguage = (v: unknown): v is Language => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

export function effectiveContact(c: ContactRecord | undefined): EffectiveContact {
  const p = c?.prefilled ?? {};
  const language = isLanguage(c?.language) ? c!.language : isLanguage(p.language) ? p.language : 'nl';
  return {
    language: language as Language,
    email: c?.email || p.email || undefined,
    phone: c?.phone || p.phone || undefined,
    postalAddress: c?.postalAddress ?? p.address ?? undefined,
    name: p.name,
    chosen: c?.channels?.length ? (c.channels as Channel[]) : undefined,
  };
}

/**
 * The channels of one message to one person, each channel's rule asked in registry order. The
 * e-counter always (it is the dossier); e-mail when an address is known; SMS only when we need
 * something from them and a phone is known; a paper letter when no channel that reaches the
 * person by itself carries this message, so nobody depends on a device to be told. A person's own
 * choice narrows e-mail and SMS, and may ask for letters.
 */
export function channelsFor(category: string, contact: EffectiveContact): Channel[] {
  const actionNeeded = categoryOf(category)?.actionNeeded ?? false;
  const out: Channel[] = [];
  let reachedSoFar = false;
  for (const spec of CHANNEL_SPECS) {
    const allowed = !contact.chosen || contact.chosen.includes(spec.key);
    if (!spec.offers({ actionNeeded, contact, allowed, reachedSoFar })) continue;
    out.push(spec.key);
    reachedSoFar ||= spec.reachesByItself;
  }
  return out;
}
