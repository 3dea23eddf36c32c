import { enterpriseNumber, nationalNumber } from './identifiers';
import type { Address, Enterprise, HouseholdExample, Language, Person, PopulationExamples } from './model';
import { ACTIVITIES, COMPANY_FORMS, FAMILY_NAMES, GIVEN_NAMES, MUNICIPALITIES, STREETS, type Municipality, type Region } from './places';
import { Prng } from './prng';

export const DEFAULT_POPULATION_SEED = 'levensloop';

/** Every serial of a birth date is taken: the register cannot number another person born that day. */
export class NationalNumbersExhaustedError extends Error {
  constructor(
    readonly birthDate: string,
    readonly sex: 'F' | 'M',
  ) {
    super(`All 499 national numbers for ${sex === 'F' ? 'girls' : 'boys'} born on ${birthDate} are taken; annul some births or restart the sandbox.`);
    this.name = 'NationalNumbersExhaustedError';
  }
}

export interface PopulationOptions {
  seed?: string;
  /** About this many persons (whole households are added until it is reached); default 5000. */
  persons?: number;
  /** About this many enterprises; default 1500 (two thirds sole traders). */
  enterprises?: number;
}

type HouseholdKind = 'family' | 'couple' | 'single' | 'singleParent' | 'elderlyCouple' | 'elderlySingle';

const HOUSEHOLD_KINDS: readonly { kind: HouseholdKind; weight: number }[] = [
  { kind: 'family', weight: 30 },
  { kind: 'couple', weight: 18 },
  { kind: 'single', weight: 20 },
  { kind: 'singleParent', weight: 10 },
  { kind: 'elderlyCouple', weight: 12 },
  { kind: 'elderlySingle', weight: 10 },
];

const FOREIGN_NATIONALITIES = ['NL', 'FR', 'DE', 'IT', 'PL', 'MA', 'TR', 'RO', 'ES'];

/** Whom a generated adult can be reached by; examples force one. */
type Reach = 'both' | 'none' | 'phone' | 'random';

interface AdultSpec {
  sex: 'F' | 'M';
  born: [number, number];
  language: Language;
  family?: string;
  reach?: Reach;
}

const ascii = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The sandbox's fixture population: persons in households, their addresses, and enterprises,
 * generated from a seed so every run (and every machine) has the same people. The named examples
 * are generated first with the properties demos rely on; the rest is random within realistic
 * bounds. Events (births, moves, corrections, new enterprises) change it in memory.
 */
export class Population {
  readonly seed: string;
  private readonly persons = new Map<string, Person>();
  private readonly enterprises = new Map<string, Enterprise>();
  private readonly addresses = new Map<string, Address>();
  /** Who lives at an address: the household, as the national register counts it. */
  private readonly residents = new Map<string, Set<string>>();
  private readonly emails = new Set<string>();
  private nextAddressId = 1_000_001;
  private readonly rng: Prng;
  /** Separate stream for changes after start-up, so they never shift the fixture itself. */
  private readonly eventRng: Prng;
  private readonly exampleIds: {
    flemishCouple: string[];
    brusselsCouple: string[];
    walloonCouple: string[];
    singleParent: string[];
    soleTrader: [string, string];
    company: string;
    personWithoutContact: string;
    personWithPhoneOnly: string;
    elderlyPerson: string;
  };

  constructor(options: PopulationOptions = {}) {
    this.seed = options.seed ?? DEFAULT_POPULATION_SEED;
    this.rng = new Prng(this.seed);
    this.eventRng = new Prng(`${this.seed}:events`);
    const flanders = (m: Municipality) => m.region === 'BE-VLG';

    // Named examples first, so they exist whatever the seed.
    const flemish = this.household('family', { where: flanders, language: 'nl', reach: 'both', parentsBorn: [1986, 1994], children: 1 });
    const brussels = this.household('family', { where: (m) => m.region === 'BE-BRU', language: 'fr', reach: 'both', parentsBorn: [1985, 1994], children: 1 });
    const walloon = this.household('family', { where: (m) => m.region === 'BE-WAL' && m.language === 'fr', language: 'fr', reach: 'both', parentsBorn: [1984, 1993], children: 2 });
    const single = this.household('singleParent', { where: flanders, language: 'nl', reach: 'both', parentsBorn: [1988, 1996], children: 2 });
    const [trader] = this.household('single', { where: flanders, language: 'nl', reach: 'both', parentsBorn: [1985, 1998] });
    const [withoutContact] = this.household('single', { where: flanders, language: 'nl', reach: 'none', parentsBorn: [1960, 1990] });
    const [phoneOnly] = this.household('single', { where: flanders, language: 'nl', reach: 'phone', parentsBorn: [1960, 1990] });
    const [elderly] = this.household('elderlySingle', { where: flanders, language: 'nl', reach: 'phone', parentsBorn: [1935, 1945] });
    const soleTrader = this.soleTrader(trader, '56301', true);
    const company = this.company([flemish[0], single[0]]);
    this.exampleIds = {
      flemishCouple: flemish,
      brusselsCouple: brussels,
      walloonCouple: walloon,
      singleParent: single,
      soleTrader: [trader, soleTrader.enterpriseNumber],
      company: company.enterpriseNumber,
      personWithoutContact: withoutContact,
      personWithPhoneOnly: phoneOnly,
      elderlyPerson: elderly,
    };

    const personTarget = options.persons ?? 5000;
    while (this.persons.size < personTarget) {
      this.household(this.rng.weighted(HOUSEHOLD_KINDS, (k) => k.weight).kind, {});
    }

    const enterpriseTarget = options.enterprises ?? 1500;
    const adults = [...this.persons.values()].filter((p) => p.birthDate >= '1958-01-01' && p.birthDate <= '2004-12-31');
    const owners = new Set<string>([trader]);
    while (this.enterprises.size < enterpriseTarget && adults.length) {
      if (this.rng.chance(2 / 3)) {
        const owner = this.rng.pick(adults);
        if (owners.has(owner.nationalNumber)) continue;
        owners.add(owner.nationalNumber);
        this.soleTrader(owner.nationalNumber, this.rng.pick(ACTIVITIES).code, this.rng.chance(0.7));
      } else {
        const count = this.rng.int(1, 3);
        this.company(Array.from({ length: count }, () => this.rng.pick(adults).nationalNumber));
      }
    }
  }

  // ── reading ────────────────────────────────────────────────────────────────

  get size() {
    return { persons: this.persons.size, enterprises: this.enterprises.size, addresses: this.addresses.size };
  }

  person(nn: string): Person | undefined {
    return this.persons.get(nn);
  }

  enterprise(number: string): Enterprise | undefined {
    return this.enterprises.get(number);
  }

  address(id: string): Address | undefined {
    return this.addresses.get(id);
  }

  allPersons(): IterableIterator<Person> {
    return this.persons.values();
  }

  allEnterprises(): IterableIterator<Enterprise> {
    return this.enterprises.values();
  }

  /** Everyone registered at the address (the household). */
  residentsOf(addressId: string): string[] {
    return [...(this.residents.get(addressId) ?? [])];
  }

  /** A person as the national register answers it (field paths of the source catalog). */
  nationalRegisterRecord(nn: string): Record<string, unknown> | undefined {
    const p = this.persons.get(nn);
    if (!p) return undefined;
    const a = this.addresses.get(p.addressId)!;
    return {
      name: { ...p.name },
      birthDate: p.birthDate,
      sex: p.sex,
      nationality: p.nationality,
      preferredLanguage: p.preferredLanguage,
      address: { id: a.id, street: a.street, houseNumber: a.houseNumber, postalCode: a.postalCode, municipality: a.municipality },
      family: { partner: p.partner, parents: [...p.parents], children: [...p.children], householdSize: this.residents.get(p.addressId)?.size ?? 1 },
      contact: { ...p.contact },
    };
  }

  enterpriseRegisterRecord(number: string): Record<string, unknown> | undefined {
    const e = this.enterprises.get(number);
    if (!e) return undefined;
    const a = this.addresses.get(e.seatAddressId)!;
    return {
      name: e.name,
      legalForm: e.legalForm,
      activityCodes: [...e.activityCodes],
      seatAddress: { id: a.id, street: a.street, houseNumber: a.houseNumber, postalCode: a.postalCode, municipality: a.municipality },
      status: e.status,
      startDate: e.startDate,
      representatives: e.representatives.map((r) => ({ ...r })),
      contact: { ...e.contact },
    };
  }

  addressRegisterRecord(id: string): Record<string, unknown> | undefined {
    const a = this.addresses.get(id);
    if (!a) return undefined;
    return {
      id: a.id,
      region: a.region,
      municipalityCode: a.municipalityCode,
      municipality: a.municipality,
      postalCode: a.postalCode,
      fullAddress: `${a.street} ${a.houseNumber}, ${a.postalCode} ${a.municipality}`,
      position: { ...a.position },
    };
  }

  examples(): PopulationExamples {
    const ids = this.exampleIds;
    const company = this.enterprises.get(ids.company)!;
    return {
      flemishCouple: this.householdExample(ids.flemishCouple),
      brusselsCouple: this.householdExample(ids.brusselsCouple),
      walloonCouple: this.householdExample(ids.walloonCouple),
      singleParent: this.householdExample(ids.singleParent),
      soleTrader: { nationalNumber: ids.soleTrader[0], enterpriseNumber: ids.soleTrader[1] },
      company: { enterpriseNumber: company.enterpriseNumber, representatives: company.representatives.map((r) => r.nationalNumber) },
      personWithoutContact: ids.personWithoutContact,
      personWithPhoneOnly: ids.personWithPhoneOnly,
      elderlyPerson: ids.elderlyPerson,
    };
  }

  // ── changes (what the source events report) ───────────────────────────────

  /**
   * Registers a child born on `birthDate` to one or two parents: a new national number, family
   * links both ways, registered at the mother's address (the first parent's when there is no mother).
   */
  registerBirth(parents: string[], birthDate: string): Person {
    const ps = parents.map((nn) => this.persons.get(nn)!);
    const mother = ps.find((p) => p.sex === 'F') ?? ps[0];
    const father = ps.find((p) => p !== mother && p.sex === 'M');
    const sex = this.eventRng.chance(0.5) ? 'F' : 'M';
    const language = mother.preferredLanguage;
    const child: Person = {
      nationalNumber: this.newNationalNumber(birthDate, sex, this.eventRng),
      name: { given: this.eventRng.pick(GIVEN_NAMES[language][sex]), family: (father ?? mother).name.family },
      sex,
      birthDate,
      nationality: ps.some((p) => p.nationality === 'BE') ? 'BE' : mother.nationality,
      preferredLanguage: language,
      addressId: mother.addressId,
      parents: ps.map((p) => p.nationalNumber),
      children: [],
      contact: {},
    };
    this.add(child);
    for (const p of ps) p.children.push(child.nationalNumber);
    return child;
  }

  /** Removes a person registered in error, and every family link to them. */
  remove(nn: string): Person | undefined {
    const p = this.persons.get(nn);
    if (!p) return undefined;
    this.persons.delete(nn);
    this.residents.get(p.addressId)?.delete(nn);
    for (const other of [...p.parents, ...p.children, ...(p.partner ? [p.partner] : [])]) {
      const o = this.persons.get(other);
      if (!o) continue;
      o.children = o.children.filter((c) => c !== nn);
      o.parents = o.parents.filter((c) => c !== nn);
      if (o.partner === nn) delete o.partner;
    }
    return p;
  }

  /**
   * Moves a person and everyone registered with them to a new address in the municipality with
   * this postal code (another municipality than now when none is given). Returns who moved.
   */
  move(nn: string, postalCode?: string): { moved: string[]; address: Address } {
    const p = this.persons.get(nn)!;
    const current = this.addresses.get(p.addressId)!;
    const municipality = postalCode
      ? MUNICIPALITIES.find((m) => m.postalCode === postalCode)!
      : this.eventRng.weighted(
          MUNICIPALITIES.filter((m) => m.postalCode !== current.postalCode),
          (m) => m.weight,
        );
    const address = this.newAddress(municipality, this.eventRng);
    const moved = this.residentsOf(p.addressId);
    for (const who of moved) this.relocate(this.persons.get(who)!, address.id);
    return { moved, address };
  }

  /** Corrects a person's name; returns the field paths that changed. */
  correctName(nn: string, name: { given?: string; family?: string }): string[] {
    const p = this.persons.get(nn)!;
    const fields: string[] = [];
    if (name.given !== undefined && name.given !== p.name.given) {
      p.name.given = name.given;
      fields.push('name.given');
    }
    if (name.family !== undefined && name.family !== p.name.family) {
      p.name.family = name.family;
      fields.push('name.family');
    }
    return fields;
  }

  /** Registers a sole trader for `founder`, seated at their home, starting `startDate`. */
  registerEnterprise(founder: string, startDate: string, name?: string, activityCodes?: string[]): Enterprise {
    const owner = this.persons.get(founder)!;
    const activity = activityCodes?.[0] ?? this.eventRng.pick(ACTIVITIES).code;
    const trade = ACTIVITIES.find((a) => a.code === activity)?.trade ?? 'Onderneming';
    return this.addEnterprise({
      enterpriseNumber: this.newEnterpriseNumber(this.eventRng),
      name: name ?? `${trade} ${owner.name.family}`,
      legalForm: 'sole-trader',
      activityCodes: activityCodes ?? [activity],
      seatAddressId: owner.addressId,
      status: 'active',
      startDate,
      representatives: [{ nationalNumber: founder, role: 'owner' }],
      contact: owner.contact.email ? { email: owner.contact.email } : {},
    });
  }

  // ── generation ─────────────────────────────────────────────────────────────

  private household(
    kind: HouseholdKind,
    opts: { where?: (m: Municipality) => boolean; language?: Language; reach?: Reach; parentsBorn?: [number, number]; children?: number },
  ): string[] {
    const rng = this.rng;
    const candidates = opts.where ? MUNICIPALITIES.filter(opts.where) : MUNICIPALITIES;
    const municipality = rng.weighted(candidates, (m) => m.weight);
    const language = opts.language ?? this.languageIn(municipality);
    const address = this.newAddress(municipality, rng);
    const born: [number, number] =
      opts.parentsBorn ?? (kind === 'elderlyCouple' || kind === 'elderlySingle' ? [1932, 1958] : kind === 'single' ? [1950, 2006] : kind === 'couple' ? [1955, 2003] : [1968, 1999]);
    const reach = opts.reach ?? 'random';
    const members: string[] = [];

    const first = this.adult(address.id, { sex: kind === 'singleParent' ? (rng.chance(0.8) ? 'F' : 'M') : rng.chance(0.5) ? 'F' : 'M', born, language, reach });
    members.push(first.nationalNumber);
    let second: Person | undefined;
    if (kind === 'family' || kind === 'couple' || kind === 'elderlyCouple') {
      // Most couples are of different sexes; some are not.
      const sex = rng.chance(0.93) ? (first.sex === 'F' ? 'M' : 'F') : first.sex;
      second = this.adult(address.id, { sex, born, language: rng.chance(0.9) ? language : this.languageIn(municipality), reach });
      first.partner = second.nationalNumber;
      second.partner = first.nationalNumber;
      members.push(second.nationalNumber);
    }
    if (kind === 'family' || kind === 'singleParent') {
      const parents = second ? [first, second] : [first];
      const father = parents.find((p) => p.sex === 'M');
      const youngestParent = Math.max(...parents.map((p) => Number(p.birthDate.slice(0, 4))));
      const count = opts.children ?? rng.int(1, 3);
      for (let i = 0; i < count; i++) {
        const sex = rng.chance(0.5) ? 'F' : 'M';
        const birthDate = this.randomDate(rng, Math.min(youngestParent + 20, 2025), Math.min(youngestParent + 42, 2025));
        const given = rng.pick(GIVEN_NAMES[language][sex]);
        const family = (father ?? first).name.family;
        const child: Person = {
          nationalNumber: this.newNationalNumber(birthDate, sex, rng),
          name: { given, family },
          sex,
          birthDate,
          nationality: parents.some((p) => p.nationality === 'BE') ? 'BE' : first.nationality,
          preferredLanguage: language,
          addressId: address.id,
          parents: parents.map((p) => p.nationalNumber),
          children: [],
          // Grown-up children living at home have their own e-mail and phone; minors have none.
          contact: birthDate <= '2008-12-31' ? this.contactFor(rng, given, family, 'random') : {},
        };
        this.add(child);
        for (const p of parents) p.children.push(child.nationalNumber);
        members.push(child.nationalNumber);
      }
    }
    return members;
  }

  private adult(addressId: string, spec: AdultSpec): Person {
    const rng = this.rng;
    const birthDate = this.randomDate(rng, spec.born[0], spec.born[1]);
    const given = rng.pick(GIVEN_NAMES[spec.language][spec.sex]);
    const family = spec.family ?? rng.pick(FAMILY_NAMES[spec.language]);
    const person: Person = {
      nationalNumber: this.newNationalNumber(birthDate, spec.sex, rng),
      name: { given, family },
      sex: spec.sex,
      birthDate,
      nationality: spec.reach !== 'random' || rng.chance(0.85) ? 'BE' : rng.pick(FOREIGN_NATIONALITIES),
      preferredLanguage: spec.language,
      addressId,
      parents: [],
      children: [],
      contact: this.contactFor(rng, given, family, spec.reach ?? 'random'),
    };
    this.add(person);
    return person;
  }

  private contactFor(rng: Prng, given: string, family: string, reach: Reach): Person['contact'] {
    const email = reach === 'both' || (reach === 'random' && rng.chance(0.8));
    const phone = reach === 'both' || reach === 'phone' || (reach === 'random' && rng.chance(0.85));
    const contact: Person['contact'] = {};
    if (email) {
      const local = `${ascii(given)}.${ascii(family)}`;
      let address = `${local}@example.be`;
      for (let n = 2; this.emails.has(address); n++) address = `${local}${n}@example.be`;
      this.emails.add(address);
      contact.email = address;
    }
    if (phone) contact.phone = `+324${rng.int(60, 99)}${String(rng.int(0, 999_999)).padStart(6, '0')}`;
    return contact;
  }

  private languageIn(m: Municipality): Language {
    const r = this.rng.next();
    if (m.language === 'de') return r < 0.9 ? 'de' : 'fr';
    if (m.region === 'BE-BRU') return r < 0.65 ? 'fr' : r < 0.85 ? 'nl' : 'en';
    if (m.region === 'BE-WAL') return r < 0.95 ? 'fr' : 'en';
    return r < 0.9 ? 'nl' : r < 0.94 ? 'fr' : 'en';
  }

  private soleTrader(owner: string, activity: string, atHome: boolean): Enterprise {
    const rng = this.rng;
    const person = this.persons.get(owner)!;
    const home = this.addresses.get(person.addressId)!;
    const seat = atHome ? home : this.newAddress(MUNICIPALITIES.find((m) => m.postalCode === home.postalCode)!, rng);
    const trade = ACTIVITIES.find((a) => a.code === activity)!.trade;
    return this.addEnterprise({
      enterpriseNumber: this.newEnterpriseNumber(rng),
      name: `${trade} ${person.name.family}`,
      legalForm: 'sole-trader',
      activityCodes: [activity],
      seatAddressId: seat.id,
      status: rng.chance(0.95) ? 'active' : 'stopped',
      startDate: this.randomDate(rng, 2000, 2025),
      representatives: [{ nationalNumber: owner, role: 'owner' }],
      contact: person.contact.email ? { email: person.contact.email } : {},
    });
  }

  private company(directors: string[]): Enterprise {
    const rng = this.rng;
    const unique = [...new Set(directors)];
    const lead = this.persons.get(unique[0])!;
    const activity = rng.pick(ACTIVITIES);
    const form = rng.pick(COMPANY_FORMS);
    const seat = this.newAddress(rng.weighted(MUNICIPALITIES, (m) => m.weight), rng);
    const name = `${lead.name.family} ${activity.trade} ${form}`;
    return this.addEnterprise({
      enterpriseNumber: this.newEnterpriseNumber(rng),
      name,
      legalForm: form,
      activityCodes: rng.chance(0.3) ? [activity.code, rng.pick(ACTIVITIES).code].filter((c, i, all) => all.indexOf(c) === i) : [activity.code],
      seatAddressId: seat.id,
      status: rng.chance(0.95) ? 'active' : 'stopped',
      startDate: this.randomDate(rng, 1990, 2025),
      representatives: unique.map((nationalNumber) => ({ nationalNumber, role: 'director' as const })),
      contact: rng.chance(0.9) ? { email: `info@${ascii(lead.name.family)}-${ascii(activity.trade)}-${seat.id}.example.be` } : {},
    });
  }

  private add(person: Person) {
    this.persons.set(person.nationalNumber, person);
    this.residentsAt(person.addressId).add(person.nationalNumber);
  }

  private addEnterprise(e: Enterprise): Enterprise {
    this.enterprises.set(e.enterpriseNumber, e);
    return e;
  }

  private relocate(person: Person, addressId: string) {
    this.residents.get(person.addressId)?.delete(person.nationalNumber);
    person.addressId = addressId;
    this.residentsAt(addressId).add(person.nationalNumber);
  }

  private residentsAt(addressId: string): Set<string> {
    let set = this.residents.get(addressId);
    if (!set) this.residents.set(addressId, (set = new Set()));
    return set;
  }

  private householdExample(members: string[]): HouseholdExample {
    const adults = members.filter((nn) => this.persons.get(nn)!.parents.length === 0);
    const first = this.persons.get(adults[0])!;
    const a = this.addresses.get(first.addressId)!;
    return {
      parents: adults,
      children: first.children.filter((c) => this.persons.has(c)),
      preferredLanguage: first.preferredLanguage,
      address: { id: a.id, postalCode: a.postalCode, municipality: a.municipality, municipalityCode: a.municipalityCode, region: a.region as Region },
    };
  }

  private newAddress(m: Municipality, rng: Prng): Address {
    const id = String(this.nextAddressId++);
    const address: Address = {
      id,
      street: rng.pick(STREETS[m.language]),
      houseNumber: String(rng.int(1, 240)) + (rng.chance(0.1) ? rng.pick(['A', 'B', 'bus 1', 'bus 2']) : ''),
      postalCode: m.postalCode,
      municipality: m.name,
      municipalityCode: m.nisCode,
      region: m.region,
      // Within a few kilometres of the town centre.
      position: { lat: Number((m.lat + (rng.next() - 0.5) * 0.04).toFixed(6)), lon: Number((m.lon + (rng.next() - 0.5) * 0.06).toFixed(6)) },
    };
    this.addresses.set(id, address);
    return address;
  }

  private randomDate(rng: Prng, fromYear: number, toYear: number): string {
    const year = rng.int(fromYear, toYear);
    const month = rng.int(1, 12);
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return isoDate(new Date(Date.UTC(year, month - 1, rng.int(1, days))));
  }

  /**
   * A free national number for this birth date; the serial's parity follows the sex. A day has
   * 499 serials per sex: probing on from a random one finds a free serial or proves there is none.
   */
  private newNationalNumber(birthDate: string, sex: 'F' | 'M', rng: Prng): string {
    const start = rng.int(0, 498);
    for (let i = 0; i < 499; i++) {
      const nn = nationalNumber(birthDate, ((start + i) % 499) * 2 + (sex === 'M' ? 1 : 2));
      if (!this.persons.has(nn)) return nn;
    }
    throw new NationalNumbersExhaustedError(birthDate, sex);
  }

  private newEnterpriseNumber(rng: Prng): string {
    for (;;) {
      // 0200.000.0xx to 0999.999.9xx: the range of numbers handed out today.
      const number = enterpriseNumber(rng.int(2_000_000, 9_999_999));
      if (!this.enterprises.has(number)) return number;
    }
  }
}
