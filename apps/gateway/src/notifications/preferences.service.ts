import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { appendAudit, queryRows } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { forbidden, invalid } from '../common/problem';
import { preferencesView, unreachableChannels, type ContactPreferencesRow } from './notification-helpers';
import type { PreferencesDto } from './notifications.dto';

/**
 * How a person wants to be told: language, channels, addresses, and whether their
 * representatives get copies. Their own choices win over what the national register holds (read
 * once by the dispatcher into `prefilled`, which a change here never touches).
 */
@Injectable()
export class PreferencesService {
  constructor(private readonly db: DataSource) {}

  async get(p: Principal) {
    const subject = subjectOf(p);
    const [row] = await this.db.query<ContactPreferencesRow[]>(`SELECT * FROM contact_preferences WHERE subject_id = $1`, [subject.id]);
    return preferencesView(subject, row);
  }

  /** Replaces the person's own choices (left out: the register's value is used again); audited without the values themselves. */
  async put(p: Principal, dto: PreferencesDto) {
    const subject = subjectOf(p);
    const row = await this.db.transaction(async (tx) => {
      const [current] = await tx.query(`SELECT prefilled FROM contact_preferences WHERE subject_id = $1 FOR UPDATE`, [subject.id]);
      const problems = unreachableChannels(
        { channels: dto.channels, email: dto.email, phone: dto.phone, postalAddress: dto.postalAddress as Record<string, unknown> | null | undefined },
        current?.prefilled ?? null,
      );
      if (problems.length) {
        throw invalid(`The preferences have ${problems.length} problem(s); nothing was changed: ${problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`, problems);
      }
      const [saved] = await queryRows<ContactPreferencesRow>(
        tx,
        `INSERT INTO contact_preferences (subject_type, subject_id, language, channels, email, phone, postal_address, mandate_copies, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9)
         ON CONFLICT (subject_id) DO UPDATE SET language = EXCLUDED.language, channels = EXCLUDED.channels, email = EXCLUDED.email,
           phone = EXCLUDED.phone, postal_address = EXCLUDED.postal_address, mandate_copies = EXCLUDED.mandate_copies,
           updated_at = now(), updated_by = EXCLUDED.updated_by
         RETURNING *`,
        [
          subject.type,
          subject.id,
          dto.language ?? null,
          dto.channels,
          dto.email ?? null,
          dto.phone ?? null,
          dto.postalAddress ? JSON.stringify({ ...dto.postalAddress }) : null,
          dto.mandateCopies ?? true,
          p.sub,
        ],
      );
      await appendAudit(tx, {
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
      });
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
