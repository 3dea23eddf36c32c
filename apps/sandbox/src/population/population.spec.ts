import { enterpriseNumber, isValidEnterpriseNumber, isValidNationalNumber, nationalNumber } from './identifiers';
import { Population } from './population';
import { MUNICIPALITIES } from './places';
import { Prng } from './prng';

describe('identifiers', () => {
  it('computes national numbers with the mod-97 check, and the 2000+ rule', () => {
    // Known examples: born 1985-07-30 serial 033, and a child born 2003-01-05.
    expect(nationalNumber('1985-07-30', 33)).toBe('85073003328');
    const child = nationalNumber('2003-01-05', 12);
    expect(child.slice(0, 9)).toBe('030105012');
    expect(Number(child.slice(9))).toBe(97 - Number(2030105012n % 97n));
    expect(isValidNationalNumber(child)).toBe(true);
    expect(isValidNationalNumber('85073003329')).toBe(false);
    expect(isValidNationalNumber('8507300332')).toBe(false);
  });

  it('computes enterprise numbers with the mod-97 check', () => {
    const number = enterpriseNumber(4_123_456);
    expect(number).toMatch(/^0\d{9}$/);
    expect(isValidEnterpriseNumber(number)).toBe(true);
    expect(isValidEnterpriseNumber(`${number.slice(0, 9)}${(Number(number[9]) + 1) % 10}`)).toBe(false);
  });

  it('seeded generator repeats itself per seed and differs between seeds', () => {
    const a = new Prng('x');
    const b = new Prng('x');
    const c = new Prng('y');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });
});

describe('population', () => {
  const population = new Population();
  const persons = [...population.allPersons()];
  const enterprises = [...population.allEnterprises()];

  it('is the same for the same seed and different for another', () => {
    const again = new Population();
    expect(again.examples()).toEqual(population.examples());
    expect([...again.allPersons()].map((p) => p.nationalNumber)).toEqual(persons.map((p) => p.nationalNumber));
    const other = new Population({ seed: 'another' });
    expect(other.examples().flemishCouple.parents).not.toEqual(population.examples().flemishCouple.parents);
  });

  it('has about 5000 persons and 1500 enterprises, generated quickly', () => {
    const started = Date.now();
    const fresh = new Population({ seed: 'timing' });
    const took = Date.now() - started;
    expect(fresh.size.persons).toBeGreaterThanOrEqual(5000);
    expect(fresh.size.persons).toBeLessThan(5010);
    expect(fresh.size.enterprises).toBe(1500);
    // Generous bound: the sandbox starts in tests, so generation must stay cheap.
    expect(took).toBeLessThan(2000);
  });

  it('gives every person a valid, unique national number matching birth date and sex', () => {
    expect(new Set(persons.map((p) => p.nationalNumber)).size).toBe(persons.length);
    for (const p of persons) {
      expect(isValidNationalNumber(p.nationalNumber)).toBe(true);
      expect(p.nationalNumber.slice(0, 6)).toBe(p.birthDate.slice(2, 4) + p.birthDate.slice(5, 7) + p.birthDate.slice(8, 10));
      expect(Number(p.nationalNumber.slice(6, 9)) % 2).toBe(p.sex === 'M' ? 1 : 0);
    }
    expect(persons.some((p) => p.birthDate >= '2000-01-01')).toBe(true);
  });

  it('gives every enterprise a valid unique number, an existing seat and existing representatives', () => {
    expect(new Set(enterprises.map((e) => e.enterpriseNumber)).size).toBe(enterprises.length);
    for (const e of enterprises) {
      expect(isValidEnterpriseNumber(e.enterpriseNumber)).toBe(true);
      expect(population.address(e.seatAddressId)).toBeDefined();
      for (const r of e.representatives) expect(population.person(r.nationalNumber)).toBeDefined();
    }
    const soleTraders = enterprises.filter((e) => e.legalForm === 'sole-trader');
    expect(soleTraders.length).toBeGreaterThan(800);
    expect(soleTraders.every((e) => e.representatives.length === 1 && e.representatives[0].role === 'owner')).toBe(true);
  });

  it('links families both ways and lives mostly in Flanders', () => {
    for (const p of persons) {
      if (p.partner) expect(population.person(p.partner)!.partner).toBe(p.nationalNumber);
      for (const c of p.children) expect(population.person(c)!.parents).toContain(p.nationalNumber);
      for (const parent of p.parents) expect(population.person(parent)!.children).toContain(p.nationalNumber);
    }
    const regions = persons.map((p) => population.address(p.addressId)!.region);
    const share = (r: string) => regions.filter((x) => x === r).length / regions.length;
    expect(share('BE-VLG')).toBeGreaterThan(0.5);
    expect(share('BE-BRU')).toBeGreaterThan(0.05);
    expect(share('BE-WAL')).toBeGreaterThan(0.05);
    for (const a of new Set(persons.map((p) => p.addressId))) {
      const address = population.address(a)!;
      expect(MUNICIPALITIES.find((m) => m.postalCode === address.postalCode)!.nisCode).toBe(address.municipalityCode);
    }
  });

  it('has people without e-mail or phone and all four languages', () => {
    const adults = persons.filter((p) => p.birthDate < '2006-01-01');
    expect(adults.filter((p) => !p.contact.email).length).toBeGreaterThan(adults.length * 0.1);
    expect(adults.filter((p) => !p.contact.phone).length).toBeGreaterThan(adults.length * 0.05);
    expect(new Set(persons.map((p) => p.preferredLanguage))).toEqual(new Set(['nl', 'fr', 'de', 'en']));
  });

  it('names examples with the properties demos rely on', () => {
    const ex = population.examples();
    expect(ex.flemishCouple.parents).toHaveLength(2);
    expect(ex.flemishCouple.address.region).toBe('BE-VLG');
    expect(ex.flemishCouple.preferredLanguage).toBe('nl');
    const [a, b] = ex.flemishCouple.parents.map((nn) => population.person(nn)!);
    expect(a.partner).toBe(b.nationalNumber);
    expect(a.contact.email && b.contact.email).toBeTruthy();
    expect(ex.brusselsCouple.address.region).toBe('BE-BRU');
    expect(ex.walloonCouple.address.region).toBe('BE-WAL');
    expect(population.enterprise(ex.soleTrader.enterpriseNumber)!.representatives).toEqual([{ nationalNumber: ex.soleTrader.nationalNumber, role: 'owner' }]);
    expect(population.person(ex.personWithoutContact)!.contact).toEqual({});
    expect(population.person(ex.personWithPhoneOnly)!.contact.email).toBeUndefined();
    expect(population.person(ex.personWithPhoneOnly)!.contact.phone).toMatch(/^\+324\d{8}$/);
  });
});

describe('population changes', () => {
  it('registers a birth at the mother\'s address with links both ways, and removes it again', () => {
    const population = new Population();
    const [p1, p2] = population.examples().flemishCouple.parents;
    const mother = [p1, p2].map((nn) => population.person(nn)!).find((p) => p.sex === 'F') ?? population.person(p1)!;
    const child = population.registerBirth([p1, p2], '2026-11-24');
    expect(isValidNationalNumber(child.nationalNumber)).toBe(true);
    expect(child.nationalNumber.slice(0, 6)).toBe('261124');
    expect(child.addressId).toBe(mother.addressId);
    expect(population.person(p1)!.children).toContain(child.nationalNumber);
    expect(population.person(p2)!.children).toContain(child.nationalNumber);
    expect(population.residentsOf(mother.addressId)).toContain(child.nationalNumber);

    population.remove(child.nationalNumber);
    expect(population.person(child.nationalNumber)).toBeUndefined();
    expect(population.person(p1)!.children).not.toContain(child.nationalNumber);
    expect(population.residentsOf(mother.addressId)).not.toContain(child.nationalNumber);
  });

  it('moves a whole household to the municipality asked for', () => {
    const population = new Population();
    const household = population.examples().brusselsCouple;
    const { moved, address } = population.move(household.parents[0], '9000');
    expect(new Set(moved)).toEqual(new Set([...household.parents, ...household.children]));
    expect(address.municipality).toBe('Gent');
    for (const nn of moved) expect(population.person(nn)!.addressId).toBe(address.id);
    expect(population.residentsOf(household.address.id)).toEqual([]);
    expect((population.nationalRegisterRecord(household.parents[0])!.family as { householdSize: number }).householdSize).toBe(moved.length);
  });

  it('corrects a name and reports only the fields that changed', () => {
    const population = new Population();
    const nn = population.examples().personWithoutContact;
    const family = population.person(nn)!.name.family;
    expect(population.correctName(nn, { given: 'Xavier', family })).toEqual(['name.given']);
    expect(population.person(nn)!.name.given).toBe('Xavier');
  });
});

describe('national numbers of one day', () => {
  it('runs out after 499 per sex with a clear error instead of looping', () => {
    const population = new Population({ persons: 10, enterprises: 0 });
    const mother = population.examples().singleParent.parents[0];
    const numbers = new Set<string>();
    let error: unknown;
    for (let i = 0; i < 1000 && !error; i++) {
      try {
        numbers.add(population.registerBirth([mother], '2026-02-02').nationalNumber);
      } catch (err) {
        error = err;
      }
    }
    expect((error as Error).message).toMatch(/All 499 national numbers for (girls|boys) born on 2026-02-02 are taken/);
    expect(numbers.size).toBeGreaterThanOrEqual(499);
    for (const nn of numbers) expect(isValidNationalNumber(nn)).toBe(true);
  });
});
