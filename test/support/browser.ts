import * as fs from 'node:fs';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

/** A page in a context of its own (axe-core needs one), English first, at a desktop size unless told. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  return context.newPage();
}

const root = path.resolve(__dirname, '../..');
export const screenshotDir = path.join(root, 'test-results', 'screenshots');

/** Debian's Chromium (npm test installs it with apt; CHROMIUM_PATH may name another). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}: run the browser tests through npm test, which installs it.`);
  // Root in a container cannot use Chromium's sandbox.
  return chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

export interface Identity {
  role: 'caseworker' | 'citizen' | 'agency-admin' | 'catalog-admin' | 'auditor' | 'supervisor';
  agency?: string;
  number?: string;
  name?: string;
}

/** Signs in through the console's sign-in page (the sandbox issuer signs the token). */
export async function signIn(page: Page, consoleUrl: string, who: Identity, next = '') {
  await page.goto(`${consoleUrl}/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.locator(`#role-${who.role}`).check();
  if (who.agency) await page.locator('#agency').fill(who.agency);
  if (who.number) await page.locator('#number').fill(who.number);
  if (who.name) await page.locator('#name').fill(who.name);
  await page.locator('form.sign-in button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** axe-core with the WCAG 2.1 A and AA rules: no violation allowed. */
export async function expectAccessible(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  expect({ state, violations }).toEqual({ state, violations: [] });
}

/** At 320 CSS pixels wide the page reflows: nothing scrolls sideways (WCAG 1.4.10). */
export async function expectReflowAt320(page: Page, state: string) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 720 });
  await page.waitForTimeout(100);
  const scrollWidth = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
  expect({ state, scrollWidth: scrollWidth <= 320 ? 'fits' : scrollWidth }).toEqual({ state, scrollWidth: 'fits' });
  if (size) await page.setViewportSize(size);
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Every check a page state gets: axe, reflow at 320 px, and a screenshot. */
export async function checkPage(page: Page, name: string) {
  await expectAccessible(page, name);
  await expectReflowAt320(page, name);
  await screenshot(page, name);
}

/** Presses Tab until the focused element matches, like a keyboard user; fails after `max` presses. */
export async function tabTo(page: Page, matches: (el: { tag: string; text: string; id: string; name: string; role: string; href: string }) => boolean, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = (globalThis as any).document.activeElement;
      return { tag: String(a?.tagName ?? '').toLowerCase(), text: String(a?.textContent ?? '').trim(), id: String(a?.id ?? ''), name: String(a?.getAttribute('aria-label') ?? a?.labels?.[0]?.textContent ?? '').trim(), role: String(a?.getAttribute('role') ?? ''), href: String(a?.getAttribute('href') ?? '') };
    });
    if (matches(el)) return;
  }
  throw new Error(`Tab did not reach the element after ${max} presses`);
}
