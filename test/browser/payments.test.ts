/**
 * Payments in the console (Chromium, the whole stack, the sandbox as the payment provider): the
 * citizen sees "Pay €45.00" on their journey, pays on the provider's hosted page and sees it paid;
 * an agency admin drafts a payment step, its problems shown at the payment fields. axe and 320 px on
 * every page shown, the hosted payment page included.
 */
import { checkPage, newPage, signIn } from '../support/browser';
import { pollUntil } from '../support/poll';
import { publishLifeEvent, publishStep, startJourneyOf, titles } from './catalog';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
let f: BrowserFixture;
let journeyId: string;

beforeAll(async () => {
  f = await browserFixture('payments');
  const agency = f.agencies.municipality;
  await publishStep(f, agency, {
    key: 'terrace-fee',
    kind: 'payment',
    titles: titles('Pay the terrace fee', 'Retributie terras betalen'),
    serviceNorm: { target: 'P21D' },
    payment: { amount: '45.00', purpose: titles('Terrace permit fee', 'Retributie terrasvergunning'), linkValidFor: 'P14D', reminderBefore: 'P3D' },
  });
  const key = `terrace-${f.run}`;
  await publishLifeEvent(f, key, titles('A terrace', 'Een terras'), [{ key: 'fee', step: { agency, key: 'terrace-fee', version: 1 } }]);
  journeyId = await startJourneyOf(f, key, CITIZEN);
  await pollUntil('the payment link', async () => (await f.auditor.get(`/journeys/${journeyId}`)).body.steps?.find((s: any) => s.key === 'fee')?.payment?.status === 'open', { timeoutMs: 60_000 });
});

afterAll(async () => {
  await f?.stop();
});

test('the citizen pays from their journey page at the provider’s page, and sees it paid', async () => {
  const page = await newPage(f.browser);
  try {
    await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Jan Janssens' }, '/my');
    // "What is needed from me" has the payment, with the link to pay.
    const card = page.locator(`li[data-journey="${journeyId}"]`);
    await card.getByRole('link', { name: 'Pay €45.00' }).waitFor({ timeout: 30_000 });
    await checkPage(page, 'payment-my-journeys');
    await page.goto(`${f.stack.consoleUrl}/journeys/${journeyId}`);
    const row = page.locator('tr[data-step="fee"]');
    const pay = row.getByRole('link', { name: 'Pay €45.00' });
    await pay.waitFor({ timeout: 30_000 });
    await row.getByText('To pay: €45.00 — Terrace permit fee').waitFor();
    await row.getByText('The link is valid until', { exact: false }).waitFor();
    await checkPage(page, 'payment-journey-open');

    await pay.click();
    await page.getByRole('heading', { level: 1, name: 'Pay: €45.00' }).waitFor();
    await checkPage(page, 'payment-hosted-page');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByRole('status').getByText('Paid.', { exact: false }).waitFor();
    await checkPage(page, 'payment-hosted-paid');

    await page.goto(`${f.stack.consoleUrl}/journeys/${journeyId}`);
    await row.getByText('Paid: €45.00', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await row.getByRole('link', { name: 'Pay €45.00' }).count()).toBe(0);
    await checkPage(page, 'payment-journey-paid');
  } finally {
    await page.context().close();
  }
});

test('an agency admin drafts a payment step: the amount, four purposes, validity and reminder; problems at their fields', async () => {
  const page = await newPage(f.browser);
  try {
    await signIn(page, f.stack.consoleUrl, { role: 'agency-admin', agency: f.agencies.municipality, name: 'Els Admin' });
    await page.getByRole('heading', { level: 1, name: 'Catalog' }).waitFor();
    await page.getByRole('link', { name: 'New step' }).click();
    await page.getByRole('heading', { level: 1, name: 'New step' }).waitFor();
    await page.getByLabel('Key').fill('market-fee');
    await page.getByLabel('Kind of step').selectOption('payment');
    await page.locator('#step-title-nl').fill('Marktretributie betalen');
    await page.locator('#step-title-en').fill('Pay the market fee');
    await page.getByLabel('Target').fill('P21D');
    await page.getByLabel('Amount in euro').fill('0');
    await page.locator('#step-payment-purpose-nl').fill('Standplaats op de markt');
    await page.getByLabel('Remind before the link expires').fill('P30D');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.locator('#step-payment-amount-error').waitFor();
    expect(await page.locator('#step-payment-amount-error').textContent()).toMatch(/more than 0.00/);
    await page.locator('#step-payment-purpose-fr-error').waitFor();
    expect(await page.locator('#step-payment-reminder-error').textContent()).toMatch(/shorter than linkValidFor/);
    await expect(page.locator('#step-payment-amount').getAttribute('aria-invalid')).resolves.toBe('true');
    await checkPage(page, 'payment-step-form-errors');

    await page.getByLabel('Amount in euro').fill('12.50');
    await page.locator('#step-payment-purpose-fr').fill('Emplacement au marché');
    await page.locator('#step-payment-purpose-de').fill('Marktstand');
    await page.locator('#step-payment-purpose-en').fill('Market stall');
    await page.getByLabel('Remind before the link expires').fill('P2D');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(`**/catalog/steps/${f.agencies.municipality}/market-fee`);
    await page.getByRole('heading', { level: 1, name: 'Pay the market fee' }).waitFor();
  } finally {
    await page.context().close();
  }
  const saved = (await f.admin.get(`/agencies/${f.agencies.municipality}/steps/market-fee/versions/1`)).body;
  expect(saved).toMatchObject({ kind: 'payment', payment: { amount: '12.50', linkValidFor: 'P7D', reminderBefore: 'P2D', purpose: { nl: 'Standplaats op de markt', en: 'Market stall' } } });
});
