import { defineChannel } from './spec';

/** The e-counter (Mijn Burgerprofiel): always, it is the dossier; the address is the person's id. */
export const ecounterChannel = defineChannel({
  key: 'ecounter',
  reachesByItself: false,
  offers: () => true,
  address: (_contact, recipientId) => recipientId,
  mask: (address) => address,
  defaultRate: { ratePerSecond: 200, burst: 400 },
});
