import type { Language } from '@levensloop/domain';
import type { ChannelSpec, DeliveryContextRow, RenderedMessage } from '@levensloop/notifications';
import type { ClaimedDelivery } from '@levensloop/persistence';

/**
 * What a send came to: the channel took it (maybe awaiting a report), may be tried again, never
 * will, or (`recorded`) the channel recorded the delivery itself (a letter in the print queue).
 */
export type SendResult =
  | { kind: 'delivered'; providerRef?: string }
  | { kind: 'accepted'; providerRef: string }
  | { kind: 'temporary'; error: string }
  | { kind: 'permanent'; error: string }
  | { kind: 'recorded' };

/** One delivery to send: claimed, with its context and the text it says. */
export interface Outgoing {
  delivery: ClaimedDelivery;
  context: DeliveryContextRow;
  message: RenderedMessage;
  language: Language;
  /** The journey's page for the citizen. */
  link: string;
}

/**
 * A channel as the dispatcher sends on it: what everyone knows of it (the registry in
 * libs/notifications: key, reachable, address, mask) and how a message goes out. The send uses
 * the delivery id as idempotency key, so a resend after a crash is the same message to the provider.
 */
export interface Channel<K extends string = string> extends ChannelSpec<K> {
  /** Sends at most this many at a time. */
  concurrency: number;
  send(out: Outgoing): Promise<SendResult>;
  close?(): void;
}
