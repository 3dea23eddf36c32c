import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog, SupervisorContacts, Templates, type SupervisorContact } from '@levensloop/persistence';
import { hasRole, type Principal } from '../auth/principal';
import { forbidden, ProblemException } from '../common/problem';
import type { SupervisorContactsDto } from './supervisors.dto';

/**
 * Each agency's supervisors and where their escalation e-mails go. Catalog admins keep every
 * agency's list, an agency admin their own agency's; auditors and the agency's own supervisors
 * read it. A change is audited (`agency.supervisors_set`, with the addresses' count, not the addresses).
 */
@Injectable()
export class SupervisorsService {
  private readonly contacts: SupervisorContacts;

  constructor(
    private readonly db: DataSource,
    private readonly templates: Templates,
    private readonly auditLog: AuditLog,
  ) {
    this.contacts = new SupervisorContacts(db);
  }

  async list(p: Principal, agency: string) {
    if (!hasRole(p, 'catalog-admin') && !hasRole(p, 'auditor') && p.agency !== agency) {
      throw forbidden(`You act for '${p.agency ?? 'no agency'}': the supervisors of '${agency}' are read by its own admins and supervisors, catalog admins and auditors.`);
    }
    await this.assertAgency(agency);
    return { agency, supervisors: await this.contacts.list(agency) };
  }

  async replace(p: Principal, agency: string, dto: SupervisorContactsDto) {
    if (!hasRole(p, 'catalog-admin') && p.agency !== agency) {
      throw forbidden(`You are an agency admin of '${p.agency ?? 'no agency'}': you keep the supervisors of your own agency only.`);
    }
    await this.assertAgency(agency);
    const list: SupervisorContact[] = dto.supervisors.map((s) => ({ email: s.email.trim().toLowerCase(), name: s.name?.trim() ?? null, language: s.language, teams: s.teams ?? [] }));
    const twice = list.findIndex((s, i) => list.findIndex((o) => o.email === s.email) !== i);
    if (twice >= 0) {
      throw new ProblemException(422, `The address ${list[twice].email} is listed twice; list each supervisor once.`, {
        slug: 'invalid-supervisors',
        errors: [{ path: `/supervisors/${twice}/email`, message: 'listed twice' }],
      });
    }
    await this.db.transaction(async (tx) => {
      await this.contacts.replace(tx, agency, list);
      await this.auditLog.append(
        { actor: p.sub, action: 'agency.supervisors_set', targetType: 'agency', targetId: agency, detail: { supervisors: list.length, teams: [...new Set(list.flatMap((s) => s.teams))].sort() } },
        tx,
      );
    });
    return { agency, supervisors: await this.contacts.list(agency) };
  }

  private async assertAgency(code: string) {
    if (!(await this.templates.agencyExists(code))) throw new ProblemException(404, `There is no agency '${code}'.`, { slug: 'unknown-agency' });
  }
}
