import type { NotificationsConfig } from '@levensloop/config';
import { CHANNEL_SPECS, type Channel as ChannelKey } from '@levensloop/notifications';
import type { Deliveries } from '@levensloop/persistence';
import type { Channel } from './channel';
import { createEcounterChannel } from './ecounter.channel';
import { createEmailChannel } from './email.channel';
import { createLetterChannel } from './letter.channel';
import { createSmsChannel } from './sms.channel';

/** What a channel's sender may need. */
export interface ChannelDeps {
  config: NotificationsConfig;
  deliveries: Deliveries;
}

/** The sender of every channel of the registry (libs/notifications): a new channel adds its line here. */
const SENDERS: { [K in ChannelKey]: (deps: ChannelDeps) => Channel<K> } = {
  ecounter: ({ config }) => createEcounterChannel(config),
  email: ({ config }) => createEmailChannel(config),
  sms: ({ config }) => createSmsChannel(config),
  letter: ({ deliveries }) => createLetterChannel(deliveries),
};

/** The channels the dispatcher sends on, in registry order. */
export function createChannels(deps: ChannelDeps): Map<string, Channel> {
  return new Map(CHANNEL_SPECS.map((spec) => [spec.key, SENDERS[spec.key](deps) as Channel]));
}
