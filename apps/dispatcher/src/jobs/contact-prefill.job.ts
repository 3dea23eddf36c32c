import { randomUUID } from 'node:crypto';
import type { Translations } from '@levensloop/domain';
import type { DataAccessLog, NotificationOutbox, PrefilledContact, Preferences, UnreadContact } from '@levensloop/persistence';
import { loggedRead, type SourceClient } from '@levensloop/sources';
import { runLimited, type JobContext } from './context';

/** Why the engine reads contact details from the national register (shown in the citizen's access log). */
const PURPOSE: Translations = {
  nl: 'U op de hoogte houden van uw dossier',
  fr: 'Vous tenir informé(e) de votre dossier',
  de: 'Sie über Ihre Akte auf dem Laufenden halten',
  en: 'Keep you informed about your file',
};
const LEGAL_BASIS = { type: 'law', reference: 'Decreet van 18 juli 2008 betreffende het elektronische bestuurlijke gegevensverkeer' };
const PERSON_FIELDS = ['name.given', 'name.family', 'preferredLanguage', 'contact.email', 'contact.phone', 'address'];
const ENTERPRISE_FIELDS = ['name', 'contact.email', 'seatAddress'];
/** After a failed read, a person's messages wait this long before the register is asked again. */
const RETRY_AFTER_MS = 30_000;

/** The fields the dispatcher asks the registers for, as they come back. */
interface RegisterValues {
  name?: { given?: string; family?: string } | string;
  preferredLanguage?: string;
  contact?: { email?: string; phone?: string };
  address?: Record<string, unknown>;
  seatAddress?: Record<string, unknown>;
}

/** What the register holds, as `contact_prefills` (the dispatcher's own table) keeps it. */
export function prefilledFrom(type: UnreadContact['type'], found: boolean, v: RegisterValues): PrefilledContact {
  if (type === 'person') {
    const name = typeof v.name === 'object' ? [v.name.given, v.name.family].filter(Boolean).join(' ') || undefined : undefined;
    return { found, name, language: v.preferredLanguage, email: v.contact?.email, phone: v.contact?.phone, address: v.address };
  }
  return { found, name: typeof v.name === 'string' ? v.name : undefined, email: v.contact?.email, address: v.seatAddress };
}

/**
 * Contact details, once, from the national (or enterprise) register, for everyone the next
 * messages go to whose details were never read; each read in the access log (before, and its
 * outcome after). A read that fails makes that person's messages wait a little (the fan-out asks).
 */
export class ContactPrefillJob {
  /** Persons whose register read failed just now, and until when they wait. */
  private readonly failed = new Map<string, number>();

  constructor(
    private readonly ctx: JobContext,
    private readonly outbox: NotificationOutbox,
    private readonly contacts: Preferences,
    private readonly accessLog: DataAccessLog,
    private readonly sources: SourceClient,
  ) {}

  /** Whether the last read of this person's details failed. */
  recentlyFailed(id: string): boolean {
    return this.failed.has(id);
  }

  async run(): Promise<void> {
    const unread = await this.outbox.unreadContacts(this.ctx.n.batchSize);
    const now = Date.now();
    await runLimited(
      unread.filter((r) => (this.failed.get(r.id) ?? 0) < now),
      8,
      (r) => this.readOne(r),
    );
  }

  private async readOne(r: UnreadContact) {
    const source = r.type === 'person' ? 'national-register' : 'enterprise-register';
    const fields = r.type === 'person' ? PERSON_FIELDS : ENTERPRISE_FIELDS;
    // Logged before the read (on record even if the read fails or we crash), its outcome after it.
    const accessKey = `levensloop/notify/${r.id}/${randomUUID()}`;
    const entry = this.accessLog.readEntry(
      {
        subjectType: r.type,
        subjectId: r.id,
        journeyId: r.journey_id,
        agency: 'levensloop',
        stepKey: 'notify',
        actor: 'levensloop/notify',
        actorKind: 'step',
        source,
        fields,
        purpose: PURPOSE,
        legalBasis: LEGAL_BASIS,
      },
      accessKey,
    );
    try {
      const read = await loggedRead(entry, () =>
        this.sources.read(source, { type: r.type, id: r.id }, fields, {
          purpose: PURPOSE.nl,
          legalBasis: `${LEGAL_BASIS.type}: ${LEGAL_BASIS.reference}`,
          requester: 'levensloop/notify',
          journeyId: r.journey_id,
        }),
      );
      await this.contacts.storePrefilled(r.type, r.id, prefilledFrom(r.type, read.found, read.values as RegisterValues));
      this.failed.delete(r.id);
    } catch (err) {
      this.failed.set(r.id, Date.now() + RETRY_AFTER_MS);
      this.ctx.logger.warn({ subject: r.id, err: (err as Error).message }, 'contact details could not be read; trying again later');
    }
  }
}
