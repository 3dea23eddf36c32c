import { keepDeclaredOutputs, validateOutputs } from './outputs';
import { validateStepDefinition } from './validation';

describe('step outputs', () => {
  const automatic = { agency: 'bank', key: 'open-account', kind: 'automatic' as const, titles: { nl: 'Rekening openen' }, endpoint: 'https://bank.example/open', serviceNorm: { target: 'P1D' } };

  it('accepts declared names with optional JSON types', () => {
    expect(validateStepDefinition({ ...automatic, outputs: [{ name: 'iban', type: 'string' }, { name: 'reference' }] })).toEqual([]);
  });

  it('reports every problem at its pointer', () => {
    expect(validateOutputs([{ name: 'a b' }, { name: 'iban', type: 'date' }, { name: 'iban' }, 'x', { name: 'ok', extra: 1 }], 'automatic')).toEqual([
      { path: '/outputs/0/name', message: expect.stringContaining("'a b' is not valid") },
      { path: '/outputs/1/type', message: expect.stringContaining('string, number, boolean, object, array') },
      { path: '/outputs/2/name', message: expect.stringContaining('declared twice (also at /outputs/1)') },
      { path: '/outputs/3', message: expect.stringContaining('must be an object') },
      { path: '/outputs/4/extra', message: expect.stringContaining("unknown field 'extra'") },
    ]);
    expect(validateOutputs({ name: 'x' }, 'automatic')).toEqual([{ path: '/outputs', message: expect.stringContaining('must be a list') }]);
    expect(validateStepDefinition({ ...automatic, kind: 'caseworker', endpoint: undefined, outputs: [{ name: 'x' }] })).toContainEqual({ path: '/outputs', message: expect.stringContaining('only automatic steps have outputs') });
  });

  it('keeps only declared fields and names the dropped ones', () => {
    const answer = { status: 'done', reference: 'R-1', access_token: 'eyJ...', token_type: 'Bearer' };
    expect(keepDeclaredOutputs(answer, [{ name: 'reference', type: 'string' }, { name: 'status' }])).toEqual({
      data: { status: 'done', reference: 'R-1' },
      dropped: ['access_token', 'token_type'],
      mistyped: [],
    });
  });

  it('keeps a field named __proto__ as a plain field, never as a prototype', () => {
    const kept = keepDeclaredOutputs(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>, [{ name: '__proto__' }]);
    expect(Object.getPrototypeOf(kept.data)).toBe(Object.prototype);
    expect((kept.data as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(kept.data)).toEqual(['__proto__']);
  });

  it('keeps nothing for a step that declares no outputs', () => {
    expect(keepDeclaredOutputs({ a: 1 }, undefined)).toEqual({ data: {}, dropped: ['a'], mistyped: [] });
    expect(keepDeclaredOutputs({ a: 1 }, [])).toEqual({ data: {}, dropped: ['a'], mistyped: [] });
  });

  it('reports declared fields of another type (without their values)', () => {
    const kept = keepDeclaredOutputs({ n: '12', list: {}, ok: null }, [{ name: 'n', type: 'number' }, { name: 'list', type: 'array' }, { name: 'ok', type: 'boolean' }]);
    expect(kept.mistyped).toEqual(['n (a string, declared number)', 'list (a object, declared array)']);
    expect(kept.data).toEqual({ ok: null });
  });
});
