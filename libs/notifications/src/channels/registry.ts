import { ecounterChannel } from './ecounter';
import { emailChannel } from './email';
import { letterChannel } from './letter';
import { smsChannel } from './sms';
import type { ChannelSpec } from './spec';

/**
 * Every channel, in the order a message's channels are decided and listed: the one list the
 * preferences, the API's enums, the console, the configuration's rates and the dispatcher's
 * senders derive from. A new channel: its file here, its line below, its sender in
 * apps/dispatcher/src/channels and its messages in the console's catalogs.
 */
export const CHANNEL_SPECS = [ecounterChannel, emailChannel, smsChannel, letterChannel] as const;

export type Channel = (typeof CHANNEL_SPECS)[number]['key'];
export const CHANNELS: readonly Channel[] = CHANNEL_SPECS.map((c) => c.key);

const byKey = new Map<string, ChannelSpec<Channel>>(CHANNEL_SPECS.map((c) => [c.key, c]));

/** The channel of a key (undefined: not a channel). */
export const channelSpec = (key: string): ChannelSpec<Channel> | undefined => byKey.get(key);
export const isChannel = (key: unknown): key is Channel => typeof key === 'string' && byKey.has(key);

/** Channels that reach a person by themselves; without one of them, the letter goes out. */
export const ACTIVE_DIGITAL_CHANNELS: readonly Channel[] = CHANNEL_SPECS.filter((c) => c.reachesByItself).map((c) => c.key);
