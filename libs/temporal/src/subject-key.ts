import { createHmac } from 'node:crypto';
import type { Subject } from '@levensloop/domain';

/**
 * The subject search attribute's value: `<type>:<hex HMAC-SHA256 of the number>` keyed with
 * TEMPORAL_SUBJECT_HASH_KEY, so Temporal's visibility store (and whoever reads it) never sees a
 * national or enterprise number, while whoever holds the key finds a person's journeys by
 * hashing the number the same way.
 */
export function subjectSearchKey(subject: Subject, key: string): string {
  return `${subject.type}:${createHmac('sha256', key).update(subject.id).digest('hex')}`;
}
