import { defineChannel, maskPart } from './spec';

/** E-mail: whenever an address is known (and the person did not leave it out of their choice). */
export const emailChannel = defineChannel({
  key: 'email',
  reachesByItself: true,
  needs: { field: 'email', unknown: 'no e-mail address is known', choiceNeeds: 'e-mail needs an address' },
  offers: ({ contact, allowed }) => allowed && !!contact.email,
  address: (contact) => contact.email ?? null,
  // The first letter of the mailbox and the domain.
  mask: (address) => {
    const at = address.lastIndexOf('@');
    if (at <= 0) return maskPart(address, 1);
    return `${address[0]}${'*'.repeat(Math.max(3, at - 1))}@${address.slice(at + 1)}`;
  },
  defaultRate: { ratePerSecond: 200, burst: 400 },
});
