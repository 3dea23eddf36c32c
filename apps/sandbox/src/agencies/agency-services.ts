import { createHash } from 'node:crypto';

/** What an agency answers when it did the work: always `status` and `reference`, plus the service's own fields. */
export interface AgencyResult {
  status: 'done';
  reference: string;
  [field: string]: unknown;
}

/** The request body the engine sends to every agency endpoint. */
export interface AgencyRequest {
  journeyId?: unknown;
  step?: unknown;
  subject?: unknown;
  data?: unknown;
  /** The fields the step declared, as the engine read them from the registers. */
  fields?: unknown;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const digitsOf = (hex: string, count: number) => BigInt(`0x${hex}`).toString().padStart(count, '0').slice(-count);

/**
 * A valid Belgian enterprise number (KBO/BCE), derived only from the idempotency key:
 * `0` + 7 digits + a mod-97 check (97 - first 8 digits mod 97), shown as `0xxx.xxx.xxx`.
 */
export function enterpriseNumberFor(idempotencyKey: string): string {
  const base = `0${digitsOf(digest(`enterprise:${idempotencyKey}`).slice(0, 16), 7)}`;
  const check = String(97 - (Number(base) % 97)).padStart(2, '0');
  const digits = `${base}${check}`;
  return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

/** Whether a 10-digit enterprise number (dots allowed) passes the mod-97 check. */
export function isValidEnterpriseNumber(value: string): boolean {
  const digits = value.replace(/\./g, '');
  if (!/^[01]\d{9}$/.test(digits)) return false;
  return 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8));
}

const dataOf = (body: AgencyRequest): Record<string, unknown> =>
  body.data && typeof body.data === 'object' && !Array.isArray(body.data) ? (body.data as Record<string, unknown>) : {};

/** An enterprise number from the journey's data (any of the usual spellings), as 10 digits. */
function enterpriseNumberIn(body: AgencyRequest): string | undefined {
  const data = dataOf(body);
  const candidates = [data.enterpriseNumber, (data['register-enterprise'] as Record<string, unknown> | undefined)?.enterpriseNumber];
  for (const c of candidates) {
    if (typeof c === 'string' && isValidEnterpriseNumber(c)) return c.replace(/\./g, '');
  }
  return undefined;
}

/**
 * Does the (simulated) work of a service. Deterministic: the same agency, service and key always
 * give the same answer, so a replay and a fresh call cannot be told apart by their body.
 * Unknown agencies and services get the generic answer, so tests can point steps anywhere.
 */
export function performService(agency: string, service: string, idempotencyKey: string, body: AgencyRequest): AgencyResult {
  const hash = digest(`${agency}/${service}/${idempotencyKey}`);
  const prefix = agency.replace(/[^a-z0-9]/gi, '').slice(0, 3).toUpperCase() || 'AGY';
  const reference = `${prefix}-${hash.slice(0, 10).toUpperCase()}`;
  const data = dataOf(body);

  switch (`${agency}/${service}`) {
    case 'enterprise-counter/register-enterprise':
      return { status: 'done', reference, enterpriseNumber: enterpriseNumberFor(idempotencyKey), registeredOn: today() };
    case 'federal-finance/activate-vat': {
      const enterprise = enterpriseNumberIn(body) ?? enterpriseNumberFor(idempotencyKey).replace(/\./g, '');
      return { status: 'done', reference, vatNumber: `BE${enterprise}`, activeFrom: today() };
    }
    case 'municipality/alcohol-permit-precheck':
      return {
        status: 'done',
        reference,
        precheck: 'complete',
        permitRequired: data.servesAlcohol !== false,
        documentsNeeded: ['certificate of good conduct', 'floor plan of the premises'],
      };
    case 'startup-support/suggest-support':
      return {
        status: 'done',
        reference,
        suggestions: [
          { code: 'starter-premium', title: 'Start-up premium for new entrepreneurs' },
          { code: 'coaching-voucher', title: 'Coaching voucher (SME portfolio)' },
        ],
      };
    default:
      return { status: 'done', reference };
  }
}

const today = () => new Date().toISOString().slice(0, 10);
