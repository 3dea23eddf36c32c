import { readSourcesConfig, SourceRequestError, SourceUnavailableError } from '@levensloop/sources';
import { birthdayAt, MandateGrants, widened } from './mandate-grants';

describe("a parent's mandate ends at the child's 18th birthday", () => {
  it('is midnight UTC on the birthday', () => {
    expect(birthdayAt('2026-11-24', 18)).toBe('2044-11-24T00:00:00.000Z');
  });

  it('falls on 1 March for a child born on 29 February, in a year without it', () => {
    expect(birthdayAt('2024-02-29', 18)).toBe('2042-03-01T00:00:00.000Z');
  });

  it('is unknown for a date it cannot read', () => {
    expect(birthdayAt('24/11/2026', 18)).toBeNull();
    expect(birthdayAt('', 18)).toBeNull();
  });
});

describe('confirming a mandate with the register', () => {
  const PARENT = '85073003328';
  const CHILD = '24010112345';
  const request = {
    subject: { type: 'person' as const, id: CHILD },
    holders: [PARENT],
    kind: 'parent',
    access: 'act' as const,
    lifeEvents: null,
    journeyId: '0b5f6c1e-0000-4000-8000-0000000000b1',
    lifeEvent: 'birth',
    event: { source: 'national-register', id: 'e1' },
  };
  /** A MandateGrants whose database records the access-log rows and whose register answers as told. */
  function grantsWith(read: () => Promise<unknown>) {
    const steps: string[] = [];
    const db = {
      // The access log's one insert takes its rows as a JSON array (DataAccessLog.append).
      query: async (_sql: string, params: unknown[]) => {
        const [row] = JSON.parse(String(params[0])) as Array<{ outcome: string; request_id: string | null }>;
        steps.push(`log ${row.outcome}${row.request_id ? ` of ${row.request_id}` : ''}`);
        return [{ id: String(steps.length), access_key: null }];
      },
    };
    const grants = new MandateGrants(db as never, { sources: readSourcesConfig({ SOURCES_URL: 'http://register.invalid' }).config } as never);
    (grants as unknown as { sources: unknown }).sources = {
      read: async () => {
        steps.push('read');
        return read();
      },
    };
    return { grants, steps };
  }

  it('logs the read as requested before the call and its outcome after it, pointing at the request', async () => {
    const { grants, steps } = grantsWith(async () => ({ found: true, values: { family: { parents: [PARENT] }, birthDate: '2026-11-24' }, missing: [] }));
    const result = await grants.confirm(request);
    expect(steps).toEqual(['log requested', 'read', 'log granted of 1']);
    expect(result.confirmed).toEqual([{ holder: PARENT, validUntil: '2044-11-24T00:00:00.000Z' }]);
  });

  it("refuses a parent's mandate when the register gives no readable birth date (it would never end)", async () => {
    for (const birthDate of [undefined, '24/11/2026']) {
      const { grants } = grantsWith(async () => ({ found: true, values: { family: { parents: [PARENT] }, birthDate }, missing: [] }));
      const result = await grants.confirm(request);
      expect(result.confirmed).toEqual([]);
      expect(result.refused).toEqual([{ holder: PARENT, reason: expect.stringContaining('no readable birth date') }]);
    }
  });

  it('a read the register refuses (4xx) refuses every holder, with its answer, and is logged as refused by the source', async () => {
    const { grants, steps } = grantsWith(async () => {
      throw new SourceRequestError('national-register refused the read with 403', 403);
    });
    const result = await grants.confirm(request);
    expect(result.confirmed).toEqual([]);
    expect(result.refused).toEqual([{ holder: PARENT, reason: expect.stringContaining('refused the read with 403') }]);
    expect(steps).toEqual(['log requested', 'read', 'log refused-by-source of 1']);
  });

  it('a register that cannot answer: the error is thrown (the event waits) and the read is logged as failed', async () => {
    const { grants, steps } = grantsWith(async () => {
      throw new SourceUnavailableError('national-register is not reachable');
    });
    await expect(grants.confirm(request)).rejects.toBeInstanceOf(SourceUnavailableError);
    expect(steps).toEqual(['log requested', 'read', 'log failed of 1']);
  });
});

describe('a running mandate asked for again is widened only where it covers less', () => {
  it('covers already: nothing to change', () => {
    expect(widened({ access: 'act', life_events: null }, { access: 'read', lifeEvents: ['birth'] })).toBeUndefined();
    expect(widened({ access: 'act', life_events: ['a', 'b'] }, { access: 'act', lifeEvents: ['b'] })).toBeUndefined();
  });

  it('covers less: acting if either acts, the life events of both', () => {
    expect(widened({ access: 'read', life_events: ['a'] }, { access: 'act', lifeEvents: ['b'] })).toEqual({ access: 'act', lifeEvents: ['a', 'b'] });
    expect(widened({ access: 'act', life_events: ['a'] }, { access: 'read', lifeEvents: null })).toEqual({ access: 'act', lifeEvents: null });
  });
});
