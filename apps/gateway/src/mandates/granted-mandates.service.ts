import { Injectable } from '@nestjs/common';
import { CatalogService } from '@levensloop/catalog';
import { acceptRefusal, grantProblems, grantState, isOverlappingDuplicate, revokeRefusal, type Grant, type GrantRequest, type GrantState, type MandateAccess, type SubjectType } from '@levensloop/domain';
import { GrantedMandates, type GrantedMandateRow } from '@levensloop/persistence';
import type { AuditEntry } from '@levensloop/persistence';
import { forbidden, notFound, ProblemException } from '../common/problem';
import type { Principal } from '../auth/principal';
import type { GrantMandateDto } from './granted-mandate.dto';
import { ownIds } from './mandates.service';
import { Representatives } from './representatives';

/** A granted mandate as its parties see it. */
export interface GrantedMandateView {
  id: string;
  grantor: { type: SubjectType; id: string };
  grantedBy: string;
  holder: { type: SubjectType; id: string };
  scope: { lifeEvents: 'all' | string[]; access: MandateAccess };
  validFrom: Date;
  validUntil: Date;
  reason: string;
  /** pending (waiting for the holder), scheduled, active, expired or revoked. */
  state: GrantState;
  createdAt: Date;
  acceptedAt?: Date;
  revokedAt?: Date;
  revokedBy?: string;
  revokeReason?: string;
}

const grantOf = (r: GrantedMandateRow): Grant => ({
  grantor: { type: r.grantor_type, id: r.grantor_id },
  holder: { type: r.holder_type, id: r.holder_id },
  lifeEvents: r.life_events ?? 'all',
  access: r.access,
  validFrom: new Date(r.valid_from),
  validUntil: new Date(r.valid_until),
  status: r.status,
});

export function viewOf(r: GrantedMandateRow, now = new Date()): GrantedMandateView {
  return {
    id: r.id,
    grantor: { type: r.grantor_type, id: r.grantor_id },
    grantedBy: r.granted_by,
    holder: { type: r.holder_type, id: r.holder_id },
    scope: { lifeEvents: r.life_events ?? 'all', access: r.access },
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    reason: r.reason,
    state: grantState(grantOf(r), now),
    createdAt: r.created_at,
    ...(r.accepted_at ? { acceptedAt: r.accepted_at } : {}),
    ...(r.revoked_at ? { revokedAt: r.revoked_at, revokedBy: r.revoked_by ?? undefined, revokeReason: r.revoke_reason ?? undefined } : {}),
  };
}

const audited = (p: Principal, action: string, r: GrantedMandateRow, detail: Record<string, unknown> = {}): AuditEntry => ({
  actor: p.sub,
  action,
  targetType: 'mandate',
  targetId: r.id,
  detail: {
    grantor: { type: r.grantor_type, id: r.grantor_id },
    ...(r.granted_by !== r.grantor_id ? { onBehalfOf: { type: r.grantor_type, id: r.grantor_id }, representative: r.granted_by } : {}),
    holder: { type: r.holder_type, id: r.holder_id },
    scope: { lifeEvents: r.life_events ?? 'all', access: r.access },
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    ...detail,
  },
});

/**
 * Mandates people grant: a citizen for themselves, or a representative the enterprise register
 * confirms for their enterprise, to a person or an enterprise; pending until the holder accepts;
 * revoked by either side. Every change is audited; accepted ones count in every access check
 * (through `mandates_in_force`).
 */
@Injectable()
export class GrantedMandatesService {
  constructor(
    private readonly grants: GrantedMandates,
    private readonly representatives: Representatives,
    private readonly catalog: CatalogService,
  ) {}

  /** Granted by me (or through me, for an enterprise), held by me, and waiting for my acceptance. */
  async list(p: Principal): Promise<{ grantedByMe: GrantedMandateView[]; heldByMe: GrantedMandateView[]; pendingForMe: GrantedMandateView[] }> {
    const ids = ownIds(p);
    if (!ids.length) return { grantedByMe: [], heldByMe: [], pendingForMe: [] };
    const now = new Date();
    const rows = await this.grants.around(ids);
    const mine = (r: GrantedMandateRow) => ids.includes(r.holder_id);
    return {
      grantedByMe: rows.filter((r) => !mine(r)).map((r) => viewOf(r, now)),
      heldByMe: rows.filter((r) => mine(r) && r.status !== 'pending').map((r) => viewOf(r, now)),
      pendingForMe: rows.filter((r) => mine(r) && r.status === 'pending').map((r) => viewOf(r, now)),
    };
  }

  async grant(p: Principal, dto: GrantMandateDto): Promise<GrantedMandateView> {
    const grantor = await this.grantorOf(p, dto);
    const asked: GrantRequest = {
      grantor,
      holder: { type: dto.holder.type, id: dto.holder.id },
      lifeEvents: dto.lifeEvents === 'all' ? 'all' : [...dto.lifeEvents],
      access: dto.access,
      validFrom: new Date(dto.validFrom),
      validUntil: new Date(dto.validUntil),
    };
    const now = new Date();
    const problems = grantProblems(asked, now);
    // A life event the catalog does not know would never be covered: say so rather than grant nothing.
    if (asked.lifeEvents !== 'all') {
      const known = new Set((await this.catalog.listLifeEvents()).map((l) => l.key));
      asked.lifeEvents.forEach((k, i) => {
        if (!known.has(k)) problems.push({ path: `/lifeEvents/${i}`, message: `there is no life event '${k}'; use the key of one in the catalog (GET /life-events)`, slug: 'invalid-scope' });
      });
    }
    const self = problems.find((x) => x.slug === 'self-mandate');
    if (self) throw new ProblemException(422, 'You cannot grant a mandate to yourself: name someone else as holder.', { slug: 'self-mandate', errors: [{ path: self.path, message: self.message }] });
    if (problems.length) {
      throw new ProblemException(422, `The mandate has ${problems.length} problem${problems.length > 1 ? 's' : ''} to fix; nothing was granted.`, { slug: 'validation', errors: problems.map(({ path, message }) => ({ path, message })) });
    }
    const row = await this.grants.grant(
      {
        grantor_type: grantor.type,
        grantor_id: grantor.id,
        granted_by: p.nationalNumber ?? grantor.id,
        holder_type: asked.holder.type,
        holder_id: asked.holder.id,
        access: asked.access,
        life_events: asked.lifeEvents === 'all' ? null : asked.lifeEvents,
        valid_from: asked.validFrom,
        valid_until: asked.validUntil,
        reason: dto.reason.trim(),
      },
      (existing) => {
        const duplicate = existing.find((e) => isOverlappingDuplicate(asked, grantOf(e), now));
        if (duplicate) {
          throw new ProblemException(409, `${asked.holder.id} already has a mandate from ${grantor.id} for an overlapping period and life events (${duplicate.id}, ${duplicate.status}); revoke it first, or choose other dates or life events.`, {
            slug: 'mandate-duplicate',
            extensions: { existing: duplicate.id },
          });
        }
      },
      (r) => audited(p, 'mandate.granted', r, { reason: r.reason }),
    );
    return viewOf(row, now);
  }

  async accept(p: Principal, id: string): Promise<GrantedMandateView> {
    const row = await this.visible(p, id);
    const refusal = acceptRefusal(grantOf(row), ownIds(p), new Date());
    if (refusal) throw refusalOf(refusal);
    const done = await this.grants.transition(id, 'pending', 'accepted', p.sub, null, (r) => audited(p, 'mandate.accepted', r));
    if (!done) return this.accept(p, id); // changed meanwhile: say why with its new state
    return viewOf(done);
  }

  async revoke(p: Principal, id: string, reason: string): Promise<GrantedMandateView> {
    const row = await this.visible(p, id);
    const ids = ownIds(p);
    const party = ids.includes(row.grantor_id) || ids.includes(row.holder_id);
    // A representative revokes for the enterprise that granted: the register is asked now.
    const asGrantor = !party && row.grantor_type === 'enterprise' && (await this.representatives.confirms(p, row.grantor_id));
    const refusal = revokeRefusal(grantOf(row), { ids, asGrantor }, new Date());
    if (refusal) throw refusalOf(refusal);
    const done = await this.grants.transition(id, row.status, 'revoked', p.sub, reason.trim(), (r) =>
      audited(p, 'mandate.revoked', r, { reason: reason.trim(), by: ids.includes(r.holder_id) ? 'holder' : 'grantor' }),
    );
    if (!done) return this.revoke(p, id, reason);
    return viewOf(done);
  }

  /** A grant the caller is a party to (or granted as a representative); anything else is not found for them. */
  private async visible(p: Principal, id: string): Promise<GrantedMandateRow> {
    const row = await this.grants.find(id);
    const ids = ownIds(p);
    if (row && (ids.includes(row.grantor_id) || ids.includes(row.holder_id) || ids.includes(row.granted_by))) return row;
    if (row && row.grantor_type === 'enterprise' && p.nationalNumber && (await this.representatives.confirms(p, row.grantor_id))) return row;
    throw notFound(`Mandate ${id}`);
  }

  /** Who grants: the caller, or an enterprise the register names them a representative of (403 if not). */
  private async grantorOf(p: Principal, dto: GrantMandateDto): Promise<{ type: SubjectType; id: string }> {
    if (dto.grantor) {
      if (p.enterpriseNumber === dto.grantor.id) return { type: 'enterprise', id: dto.grantor.id };
      if (!(await this.representatives.confirms(p, dto.grantor.id))) {
        throw forbidden(`The enterprise register does not name you a legal representative of enterprise ${dto.grantor.id}, so you cannot grant mandates for it.`);
      }
      return { type: 'enterprise', id: dto.grantor.id };
    }
    if (p.nationalNumber) return { type: 'person', id: p.nationalNumber };
    if (p.enterpriseNumber) return { type: 'enterprise', id: p.enterpriseNumber };
    throw forbidden('Your sign-in names no national or enterprise number: there is no one you can grant a mandate for.');
  }
}

function refusalOf(r: { status: 403 | 409; detail: string }): ProblemException {
  return r.status === 403 ? forbidden(r.detail) : new ProblemException(409, r.detail, { slug: /expired/.test(r.detail) ? 'mandate-expired' : 'mandate-state' });
}
