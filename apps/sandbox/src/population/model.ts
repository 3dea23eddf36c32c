import type { Region } from './places';

export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Address {
  id: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  municipality: string;
  /** NIS code of the municipality. */
  municipalityCode: string;
  region: Region;
  position: { lat: number; lon: number };
}

export interface Person {
  nationalNumber: string;
  name: { given: string; family: string };
  sex: 'F' | 'M';
  birthDate: string;
  /** ISO 3166-1 alpha-2. */
  nationality: string;
  preferredLanguage: Language;
  addressId: string;
  partner?: string;
  parents: string[];
  children: string[];
  contact: { email?: string; phone?: string };
}

export interface Representative {
  nationalNumber: string;
  role: 'owner' | 'director';
}

export interface Enterprise {
  enterpriseNumber: string;
  name: string;
  /** `sole-trader` (a natural person), or a company form: BV, NV, CV, CommV. */
  legalForm: string;
  activityCodes: string[];
  seatAddressId: string;
  status: 'active' | 'stopped';
  startDate: string;
  representatives: Representative[];
  contact: { email?: string };
}

/** A household the examples name: who lives together, and where. */
export interface HouseholdExample {
  parents: string[];
  children: string[];
  preferredLanguage: Language;
  address: { id: string; postalCode: string; municipality: string; municipalityCode: string; region: Region };
}

/** Named members of the population for demos and tests (`GET /_sandbox/population/examples`). */
export interface PopulationExamples {
  /** Lives in Flanders (eligible for the Flemish child benefit), Dutch-speaking, both reachable by e-mail. */
  flemishCouple: HouseholdExample;
  /** Lives in Brussels (not eligible for the Flemish child benefit), French-speaking. */
  brusselsCouple: HouseholdExample;
  walloonCouple: HouseholdExample;
  singleParent: HouseholdExample;
  soleTrader: { nationalNumber: string; enterpriseNumber: string };
  company: { enterpriseNumber: string; representatives: string[] };
  /** An adult with neither e-mail nor phone: the engine must ask, or write a letter. */
  personWithoutContact: string;
  /** An adult with a phone but no e-mail. */
  personWithPhoneOnly: string;
  elderlyPerson: string;
}
