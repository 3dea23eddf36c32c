import { Mandates } from './mandates.repository';

const VALID_MANDATE_SQL = Mandates.runsSql();

describe('when a mandate counts (SQL over a mandates row)', () => {
  it('runs from valid_from up to, not including, valid_until; no end means it runs on', () => {
    expect(Mandates.runsSql()).toBe('valid_from <= now() AND (valid_until IS NULL OR valid_until > now())');
    expect(Mandates.runsSql('m')).toBe('m.valid_from <= now() AND (m.valid_until IS NULL OR m.valid_until > now())');
  });

  it('covers a life event when its scope is every life event or names it, and acting only with act access', () => {
    expect(Mandates.coversSql('j.life_event_key', 'act', 'm')).toBe(
      'm.valid_from <= now() AND (m.valid_until IS NULL OR m.valid_until > now()) AND (m.life_events IS NULL OR j.life_event_key = ANY(m.life_events)) AND m.access = \'act\'',
    );
    // Reading needs no particular access: a read and an act mandate both let one see.
    expect(Mandates.coversSql('j.life_event_key', 'read', 'm')).toBe(
      'm.valid_from <= now() AND (m.valid_until IS NULL OR m.valid_until > now()) AND (m.life_events IS NULL OR j.life_event_key = ANY(m.life_events))',
    );
  });

  it('without a life event, asks only that it runs (and acts when asked); unqualified columns without an alias', () => {
    expect(Mandates.coversSql(undefined, 'read')).toBe(VALID_MANDATE_SQL);
    expect(Mandates.coversSql(undefined, 'act')).toBe(`${VALID_MANDATE_SQL} AND access = 'act'`);
    expect(Mandates.coversSql('$1', 'read')).toBe(`${VALID_MANDATE_SQL} AND (life_events IS NULL OR $1 = ANY(life_events))`);
  });
});
