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

describe('step outputs: the exact messages and limits', () => {
  it('says what an output must be, naming what was given', () => {
    expect(validateOutputs(undefined, 'caseworker')).toEqual([]);
    expect(validateOutputs([], 'citizen')).toEqual([{ path: '/outputs', message: "only automatic steps have outputs (the fields of the agency's answer they keep); a citizen step must not declare them" }]);
    expect(validateOutputs('iban', 'automatic')).toEqual([{ path: '/outputs', message: 'outputs must be a list such as [{ "name": "enterpriseNumber", "type": "string" }] (got \'iban\')' }]);
    expect(validateOutputs(null, 'automatic')[0].message).toMatch(/\(got null\)$/);
    expect(validateOutputs(3, 'automatic')[0].message).toMatch(/\(got number\)$/);
    expect(validateOutputs([null, [1], 5], 'automatic')).toEqual([
      { path: '/outputs/0', message: 'each output must be an object { "name": "…", "type"?: "string|number|boolean|object|array" } (got null)' },
      { path: '/outputs/1', message: 'each output must be an object { "name": "…", "type"?: "string|number|boolean|object|array" } (got a list)' },
      { path: '/outputs/2', message: 'each output must be an object { "name": "…", "type"?: "string|number|boolean|object|array" } (got number)' },
    ]);
  });

  it('names a bad name, a twice-declared one, an unknown field (escaped in the pointer) and a bad type exactly', () => {
    expect(validateOutputs([{ name: 7 }, { name: 'ok', 'a/b': 1 }, { name: 'ok', type: 'date' }], 'automatic')).toEqual([
      { path: '/outputs/0/name', message: 'the name number is not valid: a top-level field name of the answer, letters, digits and underscores, starting with a letter (e.g. enterpriseNumber)' },
      { path: '/outputs/1/a~1b', message: "unknown field 'a/b'; an output has a name and optionally a type" },
      { path: '/outputs/2/name', message: "'ok' is declared twice (also at /outputs/1)" },
      { path: '/outputs/2/type', message: "type must be one of string, number, boolean, object, array (got 'date')" },
    ]);
  });

  it('accepts names of 1 to 64 letters, digits and underscores not starting with a digit', () => {
    const names = (list: unknown[]) => validateOutputs(list.map((name) => ({ name })), 'automatic').map((p) => p.path);
    expect(names(['a', '_x', `a${'b'.repeat(63)}`, 'A9_z'])).toEqual([]);
    expect(names([`a${'b'.repeat(64)}`, '9a', '', 'a-b', ' a'])).toEqual(['/outputs/0/name', '/outputs/1/name', '/outputs/2/name', '/outputs/3/name', '/outputs/4/name']);
  });

  it('allows at most 100 outputs', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}` }));
    expect(validateOutputs(many(100), 'automatic')).toEqual([]);
    expect(validateOutputs(many(101), 'automatic')).toEqual([{ path: '/outputs', message: 'a step declares at most 100 outputs (got 101)' }]);
  });

  it('checks every JSON type, and keeps a value of the declared type or null', () => {
    const kept = keepDeclaredOutputs(
      { s: 'x', n: 1, b: false, o: {}, a: [], wrongA: 'x', wrongO: [], wrongB: 0, wrongN: true, wrongS: 1, any: [1] },
      [
        { name: 's', type: 'string' },
        { name: 'n', type: 'number' },
        { name: 'b', type: 'boolean' },
        { name: 'o', type: 'object' },
        { name: 'a', type: 'array' },
        { name: 'wrongA', type: 'array' },
        { name: 'wrongO', type: 'object' },
        { name: 'wrongB', type: 'boolean' },
        { name: 'wrongN', type: 'number' },
        { name: 'wrongS', type: 'string' },
        { name: 'any' },
      ],
    );
    expect(kept.data).toEqual({ s: 'x', n: 1, b: false, o: {}, a: [], any: [1] });
    expect(kept.mistyped).toEqual([
      'wrongA (a string, declared array)',
      'wrongO (a array, declared object)',
      'wrongB (a number, declared boolean)',
      'wrongN (a boolean, declared number)',
      'wrongS (a number, declared string)',
    ]);
    expect(kept.dropped).toEqual([]);
  });
});
