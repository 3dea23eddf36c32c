import { enterpriseNumberFor, isValidEnterpriseNumber, performService } from './agency-services';
import { parseBehaviour } from './behaviour';

describe('enterprise numbers', () => {
  it('are valid Belgian enterprise numbers, stable per key', () => {
    for (let i = 0; i < 200; i++) {
      const n = enterpriseNumberFor(`key-${i}`);
      expect(n).toMatch(/^0\d{3}\.\d{3}\.\d{3}$/);
      expect(isValidEnterpriseNumber(n)).toBe(true);
      expect(enterpriseNumberFor(`key-${i}`)).toBe(n);
    }
    expect(new Set(Array.from({ length: 200 }, (_, i) => enterpriseNumberFor(`key-${i}`))).size).toBeGreaterThan(195);
  });

  it('checks the mod-97 digits', () => {
    expect(isValidEnterpriseNumber('0123.456.749')).toBe(true);
    expect(isValidEnterpriseNumber('0123456749')).toBe(true);
    expect(isValidEnterpriseNumber('0123.456.748')).toBe(false);
    expect(isValidEnterpriseNumber('123456749')).toBe(false);
  });
});

describe('services', () => {
  it('activate VAT on the enterprise number in the journey data, else on one derived from the key', () => {
    expect(performService('federal-finance', 'activate-vat', 'k', { data: { enterpriseNumber: '0123456749' } })).toMatchObject({ vatNumber: 'BE0123456749' });
    const derived = performService('federal-finance', 'activate-vat', 'k', {});
    expect(derived.vatNumber).toBe(`BE${enterpriseNumberFor('k').replace(/\./g, '')}`);
  });

  it('give one reference per agency, service and key', () => {
    const a = performService('x', 'y', 'k', {}).reference;
    expect(performService('x', 'y', 'k', {}).reference).toBe(a);
    expect(performService('x', 'y', 'k2', {}).reference).not.toBe(a);
    expect(performService('x', 'z', 'k', {}).reference).not.toBe(a);
  });
});

describe('behaviour input', () => {
  it('keeps only the known fields and reports every problem', () => {
    expect(parseBehaviour({ failTimes: 2, status: 500 })).toEqual({ ok: true, behaviour: { failTimes: 2, status: 500 } });
    const bad = parseBehaviour({ failTimes: -1, latencyMs: 700_000, colour: 'red' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toHaveLength(3);
  });
});
