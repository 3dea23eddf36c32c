/**
 * The citizen's console in Chromium against the whole stack: my journeys (done, next, what is
 * needed from me), completing my own task, my messages, who used my data, my preferences; a
 * parent sees the child's journey marked as acting for them; nobody opens another's journey by URL.
 */
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { checkPage, newPage, signIn } from '../support/browser';
import { browserFixture, type BrowserFixture } from './fixture';

jest.setTimeout(240_000);

const CITIZEN = '85073003328';
const CHILD = '24010112345';
const STRANGER = '90010100123';
let f: BrowserFixture;
let journeyId: string;
let childJourneyId: string;

beforeAll(async () => {
  f = await browserFixture('citizen');
  journeyId = await f.startJourney(CITIZEN);
  // The citizen holds a parent's mandate for a child, whose journey a caseworker started.
  const pg = new Client({ connectionString: f.db.url });
  await pg.connect();
  try {
    await pg.query(`INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, valid_from) VALUES ($1, 'person', $2, 'parent', 'test', now() - interval '1 day')`, [CITIZEN, CHILD]);
  } finally {
    await pg.end();
  }
  childJourneyId = await f.startJourney(CHILD);
});

afterAll(async () => {
  await f?.stop();
});

test('a citizen sees what is done, next and needed, completes their own task and sees their status change', async () => {
  const page: Page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Jan Janssens' });
  await page.getByRole('heading', { level: 1, name: 'My journeys' }).waitFor();
  const mine = page.locator(`li[data-journey="${journeyId}"]`);
  await mine.getByText('Register the enterprise').waitFor();
  await mine.getByRole('link', { name: 'Open a business account' }).waitFor();
  // The child's journey is there too, marked as acting on their behalf.
  await page.locator(`li[data-journey="${childJourneyId}"]`).getByText(`for ${CHILD}, on their behalf`).waitFor();
  await checkPage(page, 'citizen-my-journeys');

  await mine.getByRole('link', { name: 'Open a business account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Open a business account' }).waitFor();
  await checkPage(page, 'citizen-task');
  await page.getByLabel('I have done this').check();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(`**/journeys/${journeyId}`);
  await page.locator('tr[data-step="account"]').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
  await checkPage(page, 'citizen-journey');

  await page.getByRole('link', { name: 'My journeys' }).click();
  await mine.locator('h3', { hasText: 'Done' }).waitFor();
  await expect(mine.textContent()).resolves.toContain('Open a business account');
  await mine.getByText('Licence to serve alcohol').waitFor();

  await page.getByRole('link', { name: 'My tasks' }).click();
  await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
  await checkPage(page, 'citizen-tasks');

  await page.getByRole('link', { name: 'My messages' }).click();
  await page.getByRole('heading', { level: 1, name: 'My messages' }).waitFor();
  await checkPage(page, 'citizen-messages');

  await page.getByRole('link', { name: 'Who used my data' }).click();
  await page.getByRole('heading', { level: 1, name: 'Who used my data' }).waitFor();
  await checkPage(page, 'citizen-data-access');

  await page.getByRole('link', { name: 'My preferences' }).click();
  await page.getByRole('heading', { level: 1, name: 'My preferences' }).waitFor();
  await page.getByLabel('E-mail address').fill('not an address');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#pref-email-error').waitFor();
  await expect(page.locator('#pref-email').getAttribute('aria-invalid')).resolves.toBe('true');
  await checkPage(page, 'citizen-preferences-error');
  await page.getByLabel('E-mail address').fill('jan.janssens@example.be');
  // No postal address is known for this person: the letter is not offered by default, and
  // choosing it anyway is refused at the channels.
  await expect(page.getByLabel('Letter').isChecked()).resolves.toBe(false);
  await expect(page.locator('#channel-letter-needs').textContent()).resolves.toContain('postal address');
  await page.getByLabel('Letter').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#channels-error').getByText('postal address').waitFor();
  await page.getByLabel('Letter').uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('form .live-note:not(:empty), form .error').first().waitFor();
  expect(await page.locator('main form').textContent()).toContain('Your preferences are saved.');

  // In Dutch: the page, the statuses and the life event's title follow the language.
  await page.getByLabel('Language', { exact: true }).selectOption('nl');
  await page.getByRole('heading', { level: 1, name: 'Mijn voorkeuren' }).waitFor();
  await page.getByRole('link', { name: 'Mijn trajecten' }).click();
  await page.locator(`li[data-journey="${journeyId}"]`).getByText('Een zaak starten').waitFor();
  await expect(page.evaluate(() => (globalThis as any).document.documentElement.lang)).resolves.toBe('nl');
  await checkPage(page, 'citizen-my-journeys-nl');
  await page.context().close();
});

test("a citizen cannot open another person's journey, even by its URL", async () => {
  const page = await newPage(f.browser);
  // The sign-in page offers the issuer's test population.
  await page.goto(`${f.stack.consoleUrl}/sign-in`);
  await checkPage(page, 'sign-in');
  await page.locator('#role-citizen').check();
  await page.locator('#person option').nth(1).waitFor({ state: 'attached' });
  const picked = await page.locator('#person option').nth(1).getAttribute('value');
  await page.locator('#person').selectOption(picked!);
  await expect(page.locator('#number').inputValue()).resolves.toBe(picked);
  await checkPage(page, 'sign-in-citizen');
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: STRANGER }, `/journeys/${journeyId}`);
  await page.waitForURL(`**/journeys/${journeyId}`);
  await page.getByText('This journey does not exist, or you may not see it.').waitFor();
  const text = await page.locator('main').textContent();
  expect(text).not.toContain(CITIZEN);
  expect(text).not.toContain('Start a business');
  await checkPage(page, 'citizen-journey-refused');
  // Their own list does not show it either, nor its task.
  await page.goto(`${f.stack.consoleUrl}/my`);
  await page.getByText('You have no journeys yet.').waitFor();
  await page.goto(`${f.stack.consoleUrl}/tasks/${journeyId}.account`);
  await page.getByRole('alert').waitFor();
  expect(await page.locator('main').textContent()).not.toContain(CITIZEN);
  await page.context().close();
});

test('a message that could not be delivered by e-mail says it was sent again by text message, in my messages and on the journey', async () => {
  // A message whose e-mail bounced and went out by SMS, as the dispatcher records it.
  const pg = new Client({ connectionString: f.db.url });
  await pg.connect();
  const notification = '6f1d3c2a-0000-4000-8000-00000000f0a1';
  const email = '6f1d3c2a-0000-4000-8000-00000000f0a2';
  const sms = '6f1d3c2a-0000-4000-8000-00000000f0a3';
  try {
    for (let i = 0; i < 100 && !(await pg.query(`SELECT 1 FROM journeys WHERE id = $1`, [journeyId])).rowCount; i++) await new Promise((r) => setTimeout(r, 100));
    await pg.query(
      `INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, action_needed, fanned_out_at) VALUES ($1::uuid, $2, $3::uuid, $4, 'journey.started', false, now())`,
      [notification, notification, journeyId, journeyId],
    );
    await pg.query(
      `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, address, language, status, subject, body, sms, rendered_at, last_error, fallback_checked_at, forwarded_to, forwarded_from)
       VALUES ($1::uuid, $3::uuid, 'person', $4, 'subject', 'email', 'bounce@example.org', 'en', 'permanent_failure', 'Your journey has started', 'We started your journey.', 'Started', now(), '550 5.1.1', now(), 'sms', NULL),
              ($2::uuid, $3::uuid, 'person', $4, 'subject', 'sms', '+32470555101', 'en', 'delivered', 'Your journey has started', 'We started your journey.', 'Started', now(), NULL, NULL, NULL, $1::uuid)`,
      [email, sms, notification, CITIZEN],
    );
  } finally {
    await pg.end();
  }
  const page = await newPage(f.browser);
  await signIn(page, f.stack.consoleUrl, { role: 'citizen', number: CITIZEN, name: 'Jan Janssens' }, '/my/notifications');
  await page.getByRole('heading', { level: 1, name: 'My messages' }).waitFor();
  await page.getByText('Not delivered: E-mail. Sent again: Text message.').waitFor();
  await checkPage(page, 'citizen-messages-forwarded');
  await page.goto(`${f.stack.consoleUrl}/journeys/${journeyId}`);
  await page.getByText('sent again: Text message').waitFor();
  await checkPage(page, 'citizen-journey-forwarded');
  await page.context().close();
});
