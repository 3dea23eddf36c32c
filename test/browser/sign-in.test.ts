/**
 * Signing in to the console through the sandbox's OpenID provider, in Chromium, with the keyboard
 * alone: the console's "Sign in" leads to the provider's page (axe: no violation, also with its
 * errors shown), a person of the test population is chosen, the console shows them signed in, the
 * access token is renewed before it expires (tokens live 70 s here), and signing out ends the
 * session at the provider: the next sign-in asks who you are again.
 */
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase } from '../support/database';
import { checkPage, launchBrowser, newPage, tabTo } from '../support/browser';
import { pollUntil } from '../support/poll';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(240_000);

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase('browser_sign_in');
  // Access tokens of 70 s: the console renews a minute before expiry, so within about 10 s.
  stack = await startStack(db.url, 'browser-sign-in', { console: true, env: { SANDBOX_ACCESS_TOKEN_TTL_SECONDS: '70' } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  await db?.drop();
});

const issuerPage = (stackUrl: string) => (url: URL) => url.href.startsWith(`${stackUrl}/oidc/interaction/`);
/** The access token oidc-client-ts keeps for this tab. */
const accessToken = (page: Page) =>
  page.evaluate(() => {
    const store = (globalThis as any).sessionStorage;
    for (let i = 0; i < store.length; i++) {
      const key = String(store.key(i));
      if (key.startsWith('oidc.user:')) return String(JSON.parse(store.getItem(key)).access_token);
    }
    return '';
  });

test('a citizen signs in at the provider with the keyboard alone, stays signed in past the first token, and signs out there', async () => {
  const examples = (await (await fetch(`${stack.sandboxUrl}/_sandbox/population/examples`)).json()) as { soleTrader: { nationalNumber: string } };
  const nn = examples.soleTrader.nationalNumber;
  const page = await newPage(browser);

  await page.goto(`${stack.consoleUrl}/my`);
  await page.waitForURL((url) => url.pathname === '/sign-in');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await checkPage(page, 'sign-in-choices');
  await tabTo(page, (el) => el.id === 'sign-in-provider');
  await page.keyboard.press('Enter');

  // The provider's page, in the console's language.
  await page.waitForURL(issuerPage(stack.sandboxUrl));
  await page.getByRole('heading', { level: 1, name: 'Sign in to Levensloop' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await checkPage(page, 'provider-sign-in');

  // Sent without a choice: the problem is summarised first and linked to the field.
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Sign in');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').getByText('Choose who you sign in as.').first().waitFor();
  await checkPage(page, 'provider-sign-in-errors');

  // The first person of the population: Tab into the radio group, Space to choose, Tab to the button.
  await tabTo(page, (el) => el.id === 'identity-first');
  await page.keyboard.press('Space');
  expect(await page.locator('#identity-first').isChecked()).toBe(true);
  expect(await page.locator('#identity-first').getAttribute('value')).toBe(`citizen:${nn}`);
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Sign in');
  await page.keyboard.press('Enter');

  // Back in the console, signed in as that citizen, on the page they asked for.
  await page.waitForURL(`${stack.consoleUrl}/my`);
  await page.getByRole('heading', { level: 1, name: 'My journeys' }).waitFor();
  await page.locator('.who').getByText('(Citizen)').waitFor();
  await checkPage(page, 'provider-signed-in');

  // Renewed with the refresh token before it expires, and the API takes the new one.
  const first = await accessToken(page);
  expect(first.split('.')).toHaveLength(3);
  await pollUntil('the access token to be renewed', async () => (await accessToken(page)) !== first, { timeoutMs: 45_000 });
  const renewed = await accessToken(page);
  expect((await stack.api.as(renewed).get('/me/notifications')).status).toBe(200);
  // A reload keeps the tab's session.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'My journeys' }).waitFor();

  // Sign out ends the session at the provider too.
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Sign out');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Sign out' }).waitFor();
  await checkPage(page, 'provider-sign-out');
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Yes, sign me out');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${stack.consoleUrl}/signed-out`);
  await page.getByRole('heading', { level: 1, name: 'Signed out' }).waitFor();
  expect(await accessToken(page)).toBe('');
  await checkPage(page, 'provider-signed-out');

  // Signing in again asks who you are: the provider's session has ended.
  await tabTo(page, (el) => el.tag === 'a' && el.text === 'Sign in again');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await tabTo(page, (el) => el.id === 'sign-in-provider');
  await page.keyboard.press('Enter');
  await page.waitForURL(issuerPage(stack.sandboxUrl));
  await page.getByRole('heading', { level: 1, name: 'Sign in to Levensloop' }).waitFor();
  await page.context().close();
});
