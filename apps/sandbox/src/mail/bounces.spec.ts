import { isBounceAddress } from './bounces';

it('bounces mail to the designated test mailboxes only', () => {
  expect(['bounce@example.org', 'Bounce-jan@example.org', 'bounce+1@x.be', 'bounce.x@x.be'].map(isBounceAddress)).toEqual([true, true, true, true]);
  expect(['bouncer@example.org', 'jan.bounce@example.org', 'jan@bounce.org'].map(isBounceAddress)).toEqual([false, false, false]);
});
