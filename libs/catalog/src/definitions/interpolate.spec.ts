import { interpolate } from './interpolate';

describe('interpolate', () => {
  it('replaces variables from the environment', () => {
    expect(interpolate('${CATALOG_BASE}/agencies/x', { CATALOG_BASE: 'https://agency.example' })).toEqual({ value: 'https://agency.example/agencies/x', missing: [], forbidden: [] });
  });

  it('falls back to an inline default, then to the built-in defaults', () => {
    expect(interpolate('${CATALOG_HOST:-localhost}:${CATALOG_PORT:-8080}', {}).value).toBe('localhost:8080');
    expect(interpolate('${SANDBOX_URL}/a', {}).value).toBe('http://127.0.0.1:3100/a');
    expect(interpolate('${SANDBOX_URL}/a', { SANDBOX_URL: 'http://127.0.0.1:4000' }).value).toBe('http://127.0.0.1:4000/a');
  });

  it('derives SANDBOX_HOST from SANDBOX_URL unless it is given', () => {
    expect(interpolate('${SANDBOX_HOST}', {}).value).toBe('127.0.0.1:3100');
    expect(interpolate('${SANDBOX_HOST}', { SANDBOX_URL: 'http://127.0.0.1:4000' }).value).toBe('127.0.0.1:4000');
    expect(interpolate('${SANDBOX_HOST}', { SANDBOX_HOST: 'sandbox.local:81' }).value).toBe('sandbox.local:81');
  });

  it('treats an empty variable as unset', () => {
    expect(interpolate('${SANDBOX_URL}', { SANDBOX_URL: '' }).value).toBe('http://127.0.0.1:3100');
  });

  it('reports variables without any value and leaves them in place', () => {
    expect(interpolate('${CATALOG_NOPE}/x/${CATALOG_ALSO_NOPE}', {})).toEqual({ value: '${CATALOG_NOPE}/x/${CATALOG_ALSO_NOPE}', missing: ['CATALOG_NOPE', 'CATALOG_ALSO_NOPE'], forbidden: [] });
  });

  it('never reads a variable outside the catalog prefix, whatever its value or default', () => {
    const env = { DATABASE_URL: 'postgres://levensloop:secret@db/levensloop', SMS_CALLBACK_SECRET: 's3cret' };
    const result = interpolate('https://x.example/?db=${DATABASE_URL}&s=${SMS_CALLBACK_SECRET:-none}&h=${HOME}', env);
    expect(result.forbidden).toEqual(['DATABASE_URL', 'SMS_CALLBACK_SECRET', 'HOME']);
    expect(result.value).not.toContain('secret');
    expect(result.value).toBe('https://x.example/?db=${DATABASE_URL}&s=${SMS_CALLBACK_SECRET:-none}&h=${HOME}');
  });

  it('leaves text without variables alone', () => {
    expect(interpolate('https://a.example/$HOME/{x}', {})).toEqual({ value: 'https://a.example/$HOME/{x}', missing: [], forbidden: [] });
  });
});
