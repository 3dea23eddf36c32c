import { setFieldPath } from './field-path';

describe('setFieldPath', () => {
  it('creates the objects on the way and replaces what is not an object', () => {
    const out: Record<string, unknown> = { address: 'a text' };
    setFieldPath(out, 'address.postalCode', '9000');
    setFieldPath(out, 'name', 'An');
    expect(out).toEqual({ address: { postalCode: '9000' }, name: 'An' });
  });

  it('keeps both a whole object and one of its parts, in either order', () => {
    const partFirst: Record<string, unknown> = {};
    setFieldPath(partFirst, 'address.postalCode', '9000');
    setFieldPath(partFirst, 'address', { postalCode: '1000', city: 'Gent' });
    expect(partFirst).toEqual({ address: { postalCode: '9000', city: 'Gent' } });
    const wholeFirst: Record<string, unknown> = {};
    setFieldPath(wholeFirst, 'address', { city: 'Gent' });
    setFieldPath(wholeFirst, 'address.postalCode', '9000');
    expect(wholeFirst).toEqual({ address: { city: 'Gent', postalCode: '9000' } });
  });

  it('overwrites a list or a plain value at the path', () => {
    const out: Record<string, unknown> = { children: ['a'] };
    setFieldPath(out, 'children', ['b', 'c']);
    expect(out).toEqual({ children: ['b', 'c'] });
  });
});
