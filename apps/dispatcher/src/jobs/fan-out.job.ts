import { channelSpec, channelsFor, effectiveContact, isSupervisorMail } from '@levensloop/notifications';
import type { ContactRow, FanOutBatch, NewDelivery, NotificationOutbox } from '@levensloop/persistence';
import type { JobContext } from './context';

/** How long a message waits for its recipients' contact details before it goes out without them. */
const WAIT_FOR_CONTACTS_MS = 600_000;

const toContactRecord = (cp: ContactRow) => ({
  language: cp.language,
  channels: cp.channels,
  email: cp.email,
  phone: cp.phone,
  postalAddress: cp.postal_address,
  prefilled: cp.prefilled,
});

/**
 * Who gets which message on which channel: the subject and every mandate holder with a copy,
 * each on the channels the channel rules give for this message and their contact details. A
 * message younger than ten minutes waits while someone's details were not read yet
 * (`awaitingContacts`: another pass can read them now).
 */
export function decideFanOut(
  batch: FanOutBatch,
  now: number,
  readFailed: (id: string) => boolean,
): { deliveries: NewDelivery[]; done: string[]; awaitingContacts: boolean } {
  const deliveries: NewDelivery[] = [];
  const done: string[] = [];
  let awaitingContacts = false;
  for (const note of batch.notes) {
    if (isSupervisorMail(note.category)) {
      // An escalation: an e-mail to each of the agency's (and the team's) supervisors, in their language; none listed: the console's notice only.
      for (const s of batch.supervisors?.get(note.id) ?? []) {
        deliveries.push({ notificationId: note.id, recipientType: 'supervisor', recipientId: s.recipient_id, relation: 'supervisor', channel: 'email', address: s.email, language: s.language });
      }
      done.push(note.id);
      continue;
    }
    const recipients = [
      { type: note.subject_type as string, id: note.subject_id, relation: 'subject' as const },
      ...(batch.copies.get(note.id) ?? []).map((id) => ({ type: 'person', id, relation: 'mandate' as const })),
    ];
    const young = now - new Date(note.created_at).getTime() < WAIT_FOR_CONTACTS_MS;
    const unknown = recipients.filter((r) => !batch.contacts.get(r.id)?.prefilled);
    if (young && unknown.length) {
      if (unknown.some((r) => !readFailed(r.id))) awaitingContacts = true;
      continue;
    }
    for (const r of recipients) {
      const cp = batch.contacts.get(r.id);
      const contact = effectiveContact(cp ? toContactRecord(cp) : undefined);
      for (const channel of channelsFor(note.category, contact)) {
        deliveries.push({ notificationId: note.id, recipientType: r.type, recipientId: r.id, relation: r.relation, channel, address: channelSpec(channel)!.address(contact, r.id), language: contact.language });
      }
    }
    done.push(note.id);
  }
  return { deliveries, done, awaitingContacts };
}

/** Deliveries per recipient and channel, and `fanned_out_at`, in one transaction. */
export class FanOutJob {
  /** A message waits for contact details another pass can read now: go round again at once. */
  awaitingContacts = false;

  constructor(
    private readonly ctx: JobContext,
    private readonly outbox: NotificationOutbox,
    private readonly readFailed: (id: string) => boolean,
  ) {}

  run(): Promise<number> {
    this.awaitingContacts = false;
    return this.outbox.fanOut(this.ctx.n.batchSize, (batch) => {
      const decided = decideFanOut(batch, Date.now(), this.readFailed);
      this.awaitingContacts = decided.awaitingContacts;
      return decided;
    });
  }
}
