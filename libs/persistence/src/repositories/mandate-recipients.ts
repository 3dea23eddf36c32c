import { Mandates } from './mandates.repository';

/**
 * SQL: the persons holding a running mandate for a subject that covers a life event (both SQL
 * expressions), read access or more: the register's mandates (a parent, a guardian) and the
 * accepted grants to a person (`granted_mandates`; an enterprise holder is no recipient yet, it has
 * no contact details of its own). Each holder once. Message copies and the e-counter dossier's
 * audience ask this, so a holder who sees a journey is told about it the same way.
 */
export function personHoldersSql(subject: string, lifeEvent: string): string {
  return `SELECT m.holder_id FROM mandates m WHERE m.subject_id = ${subject} AND ${Mandates.coversSql(lifeEvent, 'read', 'm')}
          UNION
          SELECT g.holder_id FROM granted_mandates g
           WHERE g.grantor_id = ${subject} AND g.status = 'accepted' AND g.holder_type = 'person' AND ${Mandates.coversSql(lifeEvent, 'read', 'g')}`;
}
