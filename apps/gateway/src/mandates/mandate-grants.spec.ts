import { birthdayAt } from './mandate-grants';

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
