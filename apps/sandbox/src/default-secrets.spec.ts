import { SANDBOX_DEFAULT_SECRETS } from '@levensloop/config';
import { DEFAULT_SOURCES_TOKEN } from './app';
import { DEFAULT_ECOUNTER_TOKEN } from './ecounter/ecounter';
import { DEFAULT_SMS_CALLBACK_SECRET, DEFAULT_SMS_TOKEN } from './sms/sms-gateway';

// The production profile refuses the sandbox's default secrets: its list must know every one.
it('every default secret of the sandbox is on the production profile\'s list', () => {
  expect(SANDBOX_DEFAULT_SECRETS).toEqual({
    SMS_GATEWAY_TOKEN: DEFAULT_SMS_TOKEN,
    SMS_CALLBACK_SECRET: DEFAULT_SMS_CALLBACK_SECRET,
    ECOUNTER_TOKEN: DEFAULT_ECOUNTER_TOKEN,
    SOURCES_TOKEN: DEFAULT_SOURCES_TOKEN,
  });
});
