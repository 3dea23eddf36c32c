import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog, Preferences } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { forbidden, invalid } from '../common/problem';
import { preferencesView, unreachableChannels } from './notification-helpers';
import type { PreferencesDto } from './notifications.dto';

/**
 * How a person wants to be told: language, channels, addresses, and whether their
 * representatives get copies. Their own choices win over what the national register holds (read
 * once by the dispatcher into `prefilled`, which a change here never touches).
 */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly db: DataSource,
    private readonly preferences: Preferences,
    private readonly auditLog: AuditLog,
  ) {}

  async get(p: Principal) {
    const subject = subjectOf(p);
    return preferencesView(subject, await this.preferences.find(subject.id));
  }

  /** Replaces the person's own choices (left out: the register's value is used again); audited without the values themselves. */
  async put(p: Principal, dto: PreferencesDto) {
    const subject = subjectOf(p);
    const row = await this.db.transaction(async (tx) => {
      const prefilled = await this.preferences.prefilledOf(tx, subject.id);
      const problems = unreachableChannels(
        { channels: dto.channels, email: dto.email, phone: dto.phone, postalAddress: dto.postalAddress as Record<string, unknown> | null | undefined },
        prefilled,
      );
      if (problems.length) {
        throw invalid(`The preferences have ${problems.length} problem(s); nothing was changed: ${problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`, problems);
      }
      const saved = await this.preferences.saveOwn(tx, {
        subject,
        language: dto.language ?? null,
        channels: dto.channels,
        email: dto.email ?? null,
        phone: dto.phone ?? null,
        postalAddress: dto.postalAddress ? { ...dto.postalAddress } : null,
        mandateCopies: dto.mandateCopies ?? true,
        by: p.sub,
      });
      await this.auditLog.append(
        {
          actor: p.sub,
          action: 'preferences.updated',
          targetType: 'contact_preferences',
          targetId: subject.id,
          detail: {
            channels: dto.channels,
            language: dto.language ?? null,
            mandateCopies: dto.mandateCopies ?? true,
            own: ['email', 'phone', 'postalAddress'].filter((k) => dto[k as keyof PreferencesDto] != null),
          },
        },
        tx,
      );
      return saved;
    });
    return preferencesView(subject, row);
  }
}

/** A citizen's own record: as a person when they log in with a national number, else as the enterprise. */
function subjectOf(p: Principal): { type: 'person' | 'enterprise'; id: string } {
  if (p.nationalNumber) return { type: 'person', id: p.nationalNumber };
  if (p.enterpriseNumber) return { type: 'enterprise', id: p.enterpriseNumber };
  throw forbidden('Preferences belong to a person or an enterprise; this token names neither (national_number or enterprise_number).');
}
