import type { Env, Profile } from './production';

/**
 * The payment provider of this deployment (payment steps): where payments are created and
 * refunded, the token it takes, and the key it signs its webhooks with (`POST /callbacks/payments`).
 * `npm start` and the test stack point them at the sandbox's provider.
 */
export interface PaymentsConfig {
  /** PAYMENT_PROVIDER_URL, e.g. https://psp.example.be/v1 (unset: payment steps need attention until it is set). */
  providerUrl?: string;
  /** PAYMENT_PROVIDER_TOKEN: the bearer token of the provider's API. */
  providerToken?: string;
  /** PAYMENT_WEBHOOK_SECRET: the HMAC-SHA256 key of the provider's webhooks (unset: every webhook is refused, 503). */
  webhookSecret?: string;
  /** PAYMENT_TIMEOUT_MS (default 10000): one call to the provider. */
  timeoutMs: number;
}

export function readPaymentsConfig(env: Env, profile: Profile): { config: PaymentsConfig; problems: string[] } {
  const problems: string[] = [];
  const providerUrl = env.PAYMENT_PROVIDER_URL?.trim().replace(/\/+$/, '') || undefined;
  const providerToken = env.PAYMENT_PROVIDER_TOKEN?.trim() || undefined;
  const webhookSecret = env.PAYMENT_WEBHOOK_SECRET?.trim() || undefined;
  if (providerUrl) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(providerUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) problems.push(`PAYMENT_PROVIDER_URL must be an http(s) URL, e.g. https://psp.example.be/v1 (got ${providerUrl})`);
    if (!providerToken) problems.push('PAYMENT_PROVIDER_TOKEN must be set with PAYMENT_PROVIDER_URL: the provider takes no anonymous calls');
    if (!webhookSecret) problems.push("PAYMENT_WEBHOOK_SECRET must be set with PAYMENT_PROVIDER_URL: the provider's webhooks must be signed");
  }
  if (webhookSecret && webhookSecret.length < 16) problems.push('PAYMENT_WEBHOOK_SECRET must be at least 16 characters (e.g. openssl rand -hex 24)');
  const rawTimeout = env.PAYMENT_TIMEOUT_MS?.trim();
  let timeoutMs = 10_000;
  if (rawTimeout) {
    const n = Number(rawTimeout);
    if (!Number.isInteger(n) || n < 100 || n > 120_000) problems.push(`PAYMENT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 120000 (got ${rawTimeout})`);
    else timeoutMs = n;
  }
  if (profile === 'production') problems.push(...paymentProductionChecks(env).map((reason) => `production profile: ${reason}`));
  return { config: { ...(providerUrl ? { providerUrl } : {}), ...(providerToken ? { providerToken } : {}), ...(webhookSecret ? { webhookSecret } : {}), timeoutMs }, problems };
}

/** Production takes payments from a real provider over https, with its webhooks signed by a secret of its own. */
export function paymentProductionChecks(env: Env): string[] {
  const reasons: string[] = [];
  const url = env.PAYMENT_PROVIDER_URL?.trim();
  if (!url) reasons.push('PAYMENT_PROVIDER_URL is not set: payment steps need a payment provider');
  else if (/^http:/i.test(url)) reasons.push(`PAYMENT_PROVIDER_URL is plain http (${url}): payments go over https`);
  if (!env.PAYMENT_PROVIDER_TOKEN?.trim()) reasons.push('PAYMENT_PROVIDER_TOKEN is not set');
  if (!env.PAYMENT_WEBHOOK_SECRET?.trim()) reasons.push("PAYMENT_WEBHOOK_SECRET is not set: the provider's webhooks must be signed");
  if (env.PAYMENT_PROVIDER_TOKEN?.trim() === SANDBOX_PAYMENT_TOKEN) reasons.push(`PAYMENT_PROVIDER_TOKEN is the sandbox's default secret ('${SANDBOX_PAYMENT_TOKEN}'); set a secret of your own`);
  return reasons;
}

/** The token the sandbox's payment provider takes by default. */
export const SANDBOX_PAYMENT_TOKEN = 'sandbox-payment-token';
