import { CHANNEL_SPECS, type Channel } from '../channels/registry';
import type { EffectiveContact } from '../channels/contact';
import type { ChannelSpec } from '../channels/spec';

/** Another delivery of the same message to the same person. */
export interface OtherDelivery {
  channel: string;
  status: string;
}

/** Statuses of a delivery that has reached the person or still may. */
const ALIVE = new Set(['queued', 'sending', 'temporary_failure', 'delivered']);

/** A channel that carries the message to an address of the person's own (not the e-counter, which they must visit). */
const carriesToThePerson = (spec: ChannelSpec): boolean => spec.needs !== undefined;

/**
 * Whether a delivery that failed for good on this channel is one the fallback answers: a channel
 * that reaches the person by itself (an e-mail that bounced, an SMS to a number out of service).
 */
export const fallsBack = (channel: string): boolean => CHANNEL_SPECS.some((s) => s.key === channel && s.reachesByItself);

/** The channels a failed delivery may be forwarded from (the dispatcher's query takes only these). */
export const FALLBACK_FROM: readonly Channel[] = CHANNEL_SPECS.filter((s) => s.reachesByItself).map((s) => s.key);

/**
 * Where a message goes when its delivery on `failed` failed for good: nowhere while another
 * delivery of it to the person has reached them or still may (that one's failure decides again);
 * else the first channel that reaches the person by itself, not tried for this message, allowed by
 * their choice and with an address known (in registry order: e-mail, then SMS, also for a message
 * that does not ask them to act, since it is the only way left that tells them); paper last, on
 * the channels that need an address of theirs but do not reach them by themselves, whatever they
 * chose. Null: none is left (the failure stands).
 */
export function fallbackChannel(failed: string, contact: EffectiveContact, others: readonly OtherDelivery[]): Channel | null {
  const specs = CHANNEL_SPECS as readonly ChannelSpec<Channel>[];
  const reached = others.some((o) => ALIVE.has(o.status) && specs.some((s) => s.key === o.channel && carriesToThePerson(s)));
  if (reached) return null;
  const tried = new Set([failed, ...others.map((o) => o.channel)]);
  const open = specs.filter((s) => !tried.has(s.key) && carriesToThePerson(s) && s.reachable(contact));
  const digital = open.find((s) => s.reachesByItself && (!contact.chosen || contact.chosen.includes(s.key)));
  if (digital) return digital.key;
  return open.find((s) => !s.reachesByItself)?.key ?? null;
}
