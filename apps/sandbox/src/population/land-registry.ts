import { createHash } from 'node:crypto';
import type { Population } from './population';

export const TENURES = ['owner', 'tenant'] as const;
export type Tenure = (typeof TENURES)[number];

/** About seven in ten Belgian households own their home (Statbel); the fixture follows that. */
const OWNER_SHARE = 70;

const percentile = (text: string) => createHash('sha256').update(text).digest().readUInt32BE(0) % 100;

/**
 * The land registry (the FPS Finance's patrimonial documentation) as the sandbox plays it: who owns
 * the dwelling at an address. Fixture addresses are owned by their adult residents in about seven
 * cases in ten, decided by a hash of the seed and the address (so the fixture itself stays as it
 * is); a move records the new address's owners explicitly (the movers, or nobody who lives there).
 */
export class LandRegistry {
  private readonly recorded = new Map<string, Set<string>>();

  constructor(private readonly population: Population) {}

  /** The national numbers of the owners who live at the address (none: rented, or unknown address). */
  owners(addressId: string): string[] {
    const recorded = this.recorded.get(addressId);
    if (recorded) return [...recorded];
    if (!this.population.address(addressId) || percentile(`${this.population.seed}:owned:${addressId}`) >= OWNER_SHARE) return [];
    const residents = this.population.residentsOf(addressId);
    // The adults of the household own it: residents who are not a child of another resident.
    return residents.filter((nn) => !this.population.person(nn)?.parents.some((p) => residents.includes(p)));
  }

  owns(nationalNumber: string, addressId: string): boolean {
    return this.owners(addressId).includes(nationalNumber);
  }

  /** A deed or lease for a new address: the owners who live there (a tenant's landlord lives elsewhere). */
  record(addressId: string, tenure: Tenure, movers: string[]): void {
    this.recorded.set(addressId, new Set(tenure === 'owner' ? movers : []));
  }

  /** The tenure of a move that does not say: owner in about seven cases in ten, stable per person and address. */
  defaultTenure(nationalNumber: string, addressId: string): Tenure {
    return percentile(`${this.population.seed}:tenure:${nationalNumber}:${addressId}`) < OWNER_SHARE ? 'owner' : 'tenant';
  }
}
