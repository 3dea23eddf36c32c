import { interpolate } from './interpolate';

describe('interpolate', () => {
  it('replaces variables from the environment', () => {
    expect(interpolate('${BASE}/agencies/x', { BASE: 'https://agency.example' })).toEqual({ value: 'https://agency.example/agencies/x', missing: [] });
  });

  it('falls back to an inline default, then to the built-in defaults', () => {
    expect(interpolate('${HOST:-localhost}:${PORT:-8080}', {}).value).toBe('localhost:8080');
    expect(interpolate('${SANDBOX_URL}/a', {}).value).toBe('http://127.0.0.1:3100/a');
    expect(interpolate('${SANDBOX_URL}/a', { SANDBOX_URL: 'http://127.0.0.1:4000' }).value).toBe('http://127.0.0.1:4000/a');
  });

  it('treats an empty variable as unset', () => {
    expect(interpolate('${SANDBOX_URL}', { SANDBOX_URL: '' }).value).toBe('http://127.0.0.1:3100');
  });

  it('reports variables without any value and leaves them in place', () => {
    expect(interpolate('${NOPE}/x/${ALSO_NOPE}', {})).toEqual({ value: '${NOPE}/x/${ALSO_NOPE}', missing: ['NOPE', 'ALSO_NOPE'] });
  });

  it('leaves text without variables alone', () => {
    expect(interpolate('https://a.example/$HOME/{x}', {})).toEqual({ value: 'https://a.example/$HOME/{x}', missing: [] });
  });
});
