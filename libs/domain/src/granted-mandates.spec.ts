import {
  acceptRefusal,
  grantCovers,
  grantProblems,
  grantState,
  isOverlappingDuplicate,
  periodsOverlap,
  revokeRefusal,
  scopesOverlap,
  yearsAfter,
  type Grant,
  type GrantRequest,
} from './granted-mandates';

const NOW = new Date('2026-03-01T12:00:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const ME = '85010100123';
const RELATIVE = '60020200234';
const COMPANY = '0123456789';

const request = (over: Partial<GrantRequest> = {}): GrantRequest => ({
  grantor: { type: 'person', id: ME },
  holder: { type: 'person', id: RELATIVE },
  lifeEvents: ['birth-of-a-child'],
  access: 'act',
  validFrom: day('2026-03-01'),
  validUntil: day('2027-03-01'),
  ...over,
});
const grant = (over: Partial<Grant> = {}): Grant => ({ ...request(), status: 'accepted', ...over });

describe('grantProblems', () => {
  it('accepts a grant from today for a year', () => {
    expect(grantProblems(request(), NOW)).toEqual([]);
  });

  it('refuses a mandate to oneself', () => {
    expect(grantProblems(request({ holder: { type: 'person', id: ME } }), NOW)).toEqual([{ path: '/holder/id', message: 'you cannot grant a mandate to yourself', slug: 'self-mandate' }]);
  });

  it('refuses an end before or at the start', () => {
    expect(grantProblems(request({ validUntil: day('2026-03-01') }), NOW).map((p) => [p.path, p.message])).toEqual([['/validUntil', 'must be after the start']]);
  });

  it('refuses more than five years, and accepts exactly five', () => {
    expect(grantProblems(request({ validUntil: day('2031-03-01') }), NOW)).toEqual([]);
    expect(grantProblems(request({ validUntil: day('2031-03-02') }), NOW).map((p) => p.message)).toEqual(['must be at most 5 years after the start']);
  });

  it('refuses a start in the past (two days of grace) and an end already passed', () => {
    expect(grantProblems(request({ validFrom: day('2026-02-28') }), NOW)).toEqual([]);
    expect(grantProblems(request({ validFrom: day('2026-02-27') }), NOW).map((p) => p.path)).toEqual(['/validFrom']);
    expect(grantProblems(request({ validFrom: day('2026-02-28'), validUntil: new Date('2026-03-01T06:00:00Z') }), NOW).map((p) => p.message)).toEqual(['must be in the future']);
  });

  it('refuses dates that are no dates', () => {
    expect(grantProblems(request({ validFrom: new Date('nope') }), NOW).map((p) => p.path)).toEqual(['/validFrom']);
  });

  it('refuses an empty or repeated list of life events, not all', () => {
    expect(grantProblems(request({ lifeEvents: [] }), NOW).map((p) => p.slug)).toEqual(['invalid-scope']);
    expect(grantProblems(request({ lifeEvents: ['a', 'a'] }), NOW).map((p) => p.message)).toEqual(['names a life event twice']);
    expect(grantProblems(request({ lifeEvents: Array.from({ length: 21 }, (_, i) => `e${i}`) }), NOW).map((p) => p.slug)).toEqual(['invalid-scope']);
    expect(grantProblems(request({ lifeEvents: 'all' }), NOW)).toEqual([]);
  });
});

describe('yearsAfter', () => {
  it('adds whole years, 29 February to 1 March', () => {
    expect(yearsAfter(day('2028-02-29'), 5).toISOString()).toBe('2033-03-01T00:00:00.000Z');
    expect(yearsAfter(day('2026-03-01'), 5).toISOString()).toBe('2031-03-01T00:00:00.000Z');
  });
});

describe('overlap', () => {
  it('periods share a moment only when they do (the end is not in the period)', () => {
    const a = { validFrom: day('2026-01-01'), validUntil: day('2026-06-01') };
    expect(periodsOverlap(a, { validFrom: day('2026-05-31'), validUntil: day('2026-12-01') })).toBe(true);
    expect(periodsOverlap(a, { validFrom: day('2026-06-01'), validUntil: day('2026-12-01') })).toBe(false);
  });

  it('scopes share a life event, all shares every one', () => {
    expect(scopesOverlap(['a', 'b'], ['b'])).toBe(true);
    expect(scopesOverlap(['a'], ['b'])).toBe(false);
    expect(scopesOverlap('all', ['b'])).toBe(true);
  });

  it('a duplicate is the same grantor and holder, running or pending, overlapping in time and scope', () => {
    expect(isOverlappingDuplicate(request(), grant({ status: 'pending' }), NOW)).toBe(true);
    expect(isOverlappingDuplicate(request(), grant({ status: 'revoked' }), NOW)).toBe(false);
    expect(isOverlappingDuplicate(request(), grant({ lifeEvents: ['moving-house'] }), NOW)).toBe(false);
    expect(isOverlappingDuplicate(request(), grant({ holder: { type: 'enterprise', id: COMPANY } }), NOW)).toBe(false);
    expect(isOverlappingDuplicate(request({ validFrom: day('2027-03-01'), validUntil: day('2028-01-01') }), grant(), NOW)).toBe(false);
    expect(isOverlappingDuplicate(request(), grant({ validFrom: day('2025-01-01'), validUntil: day('2026-02-01') }), NOW)).toBe(false);
  });
});

describe('grantState and grantCovers', () => {
  it('says what a grant is now', () => {
    expect(grantState(grant({ status: 'pending' }), NOW)).toBe('pending');
    expect(grantState(grant(), NOW)).toBe('active');
    expect(grantState(grant({ validFrom: day('2026-04-01') }), NOW)).toBe('scheduled');
    expect(grantState(grant({ validUntil: day('2026-03-01') }), NOW)).toBe('expired');
    expect(grantState(grant({ status: 'revoked' }), NOW)).toBe('revoked');
  });

  it('covers only accepted grants in their period, in scope, acting only when act was granted', () => {
    expect(grantCovers(grant(), { lifeEvent: 'birth-of-a-child', access: 'act' }, NOW)).toBe(true);
    expect(grantCovers(grant({ status: 'pending' }), { lifeEvent: 'birth-of-a-child', access: 'read' }, NOW)).toBe(false);
    expect(grantCovers(grant(), { lifeEvent: 'moving-house', access: 'read' }, NOW)).toBe(false);
    expect(grantCovers(grant({ access: 'read' }), { lifeEvent: 'birth-of-a-child', access: 'act' }, NOW)).toBe(false);
    expect(grantCovers(grant({ access: 'read' }), { access: 'read' }, NOW)).toBe(true);
    expect(grantCovers(grant({ lifeEvents: 'all' }), { lifeEvent: 'moving-house', access: 'act' }, NOW)).toBe(true);
    expect(grantCovers(grant({ validFrom: day('2026-04-01') }), { access: 'read' }, NOW)).toBe(false);
  });
});

describe('who accepts and revokes', () => {
  it('only the holder accepts, once, while it has not ended or been revoked', () => {
    const pending = grant({ status: 'pending' });
    expect(acceptRefusal(pending, [RELATIVE], NOW)).toBeUndefined();
    expect(acceptRefusal(pending, [ME], NOW)?.status).toBe(403);
    expect(acceptRefusal(grant(), [RELATIVE], NOW)).toEqual({ status: 409, detail: 'This mandate was already accepted.' });
    expect(acceptRefusal(grant({ status: 'revoked' }), [RELATIVE], NOW)?.detail).toMatch(/revoked/);
    expect(acceptRefusal(grant({ status: 'pending', validUntil: day('2026-02-01') }), [RELATIVE], NOW)?.detail).toMatch(/expired/);
  });

  it('either side revokes; a representative revokes for the enterprise that granted', () => {
    expect(revokeRefusal(grant(), { ids: [ME], asGrantor: false }, NOW)).toBeUndefined();
    expect(revokeRefusal(grant(), { ids: [RELATIVE], asGrantor: false }, NOW)).toBeUndefined();
    expect(revokeRefusal(grant({ status: 'pending' }), { ids: [RELATIVE], asGrantor: false }, NOW)).toBeUndefined();
    expect(revokeRefusal(grant(), { ids: ['70010100111'], asGrantor: false }, NOW)?.status).toBe(403);
    expect(revokeRefusal(grant({ grantor: { type: 'enterprise', id: COMPANY } }), { ids: ['70010100111'], asGrantor: true }, NOW)).toBeUndefined();
    expect(revokeRefusal(grant({ status: 'revoked' }), { ids: [ME], asGrantor: false }, NOW)?.status).toBe(409);
    expect(revokeRefusal(grant({ validUntil: day('2026-02-01') }), { ids: [ME], asGrantor: false }, NOW)?.detail).toMatch(/expired/);
  });
});
