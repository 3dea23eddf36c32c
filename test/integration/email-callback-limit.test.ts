/**
 * The mail side's delivery reports have a rate limit of their own (RATE_LIMIT_EMAIL_CALLBACK, with
 * its window), apart from the SMS gateway's reports (RATE_LIMIT_SMS_CALLBACK): neither spends the
 * other's budget.
 */
import { Api, expectProblem } from '../support/http';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';

jest.setTimeout(120_000);

let gw: InProcessGateway;
beforeAll(async () => {
  gw = await startInProcessGateway('email-callback-limit', { RATE_LIMIT_SMS_CALLBACK: '3/60', RATE_LIMIT_EMAIL_CALLBACK: '2/30' }, {}, { worker: false });
});
afterAll(() => gw?.close());

test('bounce reports count against RATE_LIMIT_EMAIL_CALLBACK, SMS reports against their own limit', async () => {
  const bounce = () => new Api(gw.baseUrl).post('/callbacks/email', { messageId: '<x@levensloop.local>', status: 'bounced', at: new Date().toISOString() });
  const sms = () => new Api(gw.baseUrl).post('/callbacks/sms', { id: 'sms-1' });
  // No secrets here: each report is refused (503) until its own budget is spent.
  for (let i = 0; i < 2; i++) expect((await bounce()).status).toBe(503);
  const limited = await bounce();
  expect(expectProblem(limited, 429).detail).toMatch(/mail server address.*at most 2 per 30 s/);
  expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  // The SMS gateway's budget is untouched by the bounces.
  for (let i = 0; i < 3; i++) expect((await sms()).status).toBe(503);
  expect(expectProblem(await sms(), 429).detail).toMatch(/SMS gateway address.*at most 3 per 60 s/);
});
