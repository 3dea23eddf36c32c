import { defineChannel, maskPart } from './spec';

/** SMS: only when we need something from the person and a mobile number is known. */
export const smsChannel = defineChannel({
  key: 'sms',
  reachesByItself: true,
  needs: { field: 'phone', unknown: 'no mobile number is known', choiceNeeds: 'sms needs a mobile number' },
  offers: ({ actionNeeded, contact, allowed }) => actionNeeded && allowed && !!contact.phone,
  address: (contact) => contact.phone ?? null,
  // The country code and the last two digits.
  mask: (address) => maskPart(address, address.startsWith('+') ? 3 : 0, 2),
  defaultRate: { ratePerSecond: 50, burst: 100 },
});
