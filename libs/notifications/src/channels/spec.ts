
/** What a channel reads of a person (an EffectiveContact; kept apart so the keys can type it). */
export interface ContactAddresses {
  email?: string;
  phone?: string;
  postalAddress?: Record<string, unknown>;
  /** The channels the person chose; undefined: no choice made. */
  chosen?: readonly string[];
}

/** Messages per second and burst: a channel's default rate (RATE_<KEY> overrides it). */
export interface ChannelRate {
  ratePerSecond: number;
  burst: number;
}

/** What a channel needs to know of a person before it can reach them. */
export interface ChannelNeed {
  /** The contact field (and the field of PUT /me/preferences) that holds the address. */
  field: 'email' | 'phone' | 'postalAddress';
  /** Said when nothing is known, e.g. "no e-mail address is known". */
  unknown: string;
  /** Said of a choice that cannot be honoured, e.g. "e-mail needs an address". */
  choiceNeeds: string;
}

/** What the channel rule sees of one message to one person (see channelsFor). */
export interface ChannelOffer {
  actionNeeded: boolean;
  contact: ContactAddresses;
  /** The person made no choice of channels, or chose this one. */
  allowed: boolean;
  /** A channel before this one in the registry that reaches the person by itself already carries the message. */
  reachedSoFar: boolean;
}

/**
 * A channel as everyone but its sender knows it: the gateway (preferences, masking, OpenAPI), the
 * console and the dispatcher's fan-out read this; the dispatcher adds the sender
 * (apps/dispatcher/src/channels). Pure: no I/O, nothing heavier than the domain.
 */
export interface ChannelSpec<K extends string = string> {
  key: K;
  /** Reaches the person by itself (a device that tells them); without one of these the letter goes out. */
  reachesByItself: boolean;
  /** Undefined: every person can be reached this way (the e-counter: the person's own id). */
  needs?: ChannelNeed;
  /** Whether what is known of the person is enough for this channel (see `needs`). */
  reachable(contact: Pick<ContactAddresses, 'email' | 'phone' | 'postalAddress'>): boolean;
  /** Whether a message goes out on this channel, asked in registry order. */
  offers(m: ChannelOffer): boolean;
  /** The address a delivery to this person is sent to (null: none known). */
  address(contact: ContactAddresses, recipientId: string): string | null;
  /** Enough of an address to recognise it, not enough to use it (for caseworkers). */
  mask(address: string): string;
  defaultRate: ChannelRate;
}

/** A channel from its parts (reachable follows from `needs`); keeps the literal key type, so the registry's keys form the Channel union. */
export const defineChannel = <K extends string>(spec: Omit<ChannelSpec<K>, 'reachable'>): ChannelSpec<K> => ({
  ...spec,
  reachable: (contact) => !spec.needs || !!contact[spec.needs.field],
});

export const maskPart = (s: string, keepStart: number, keepEnd = 0) =>
  s.length <= keepStart + keepEnd ? '*'.repeat(s.length) : `${s.slice(0, keepStart)}${'*'.repeat(s.length - keepStart - keepEnd)}${s.slice(s.length - keepEnd)}`;
