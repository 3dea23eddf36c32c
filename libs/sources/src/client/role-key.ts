import { readPath, type AgencyRole, type Subject } from '@levensloop/domain';
import type { ReadContext } from './source-client';

/** What reads a source (the SourceClient, or the worker's reader over it). */
export interface RoleKeyReader {
  read(source: string, subject: Subject, fields: string[], context: ReadContext): Promise<{ values: Record<string, unknown> }>;
}

/**
 * The key an agency role routes the subject by (the address register's municipality code for
 * `municipality`), read from the role's authentic source: the journey's routing and a
 * caseworker's start for their own citizen ask it the same way. `purpose` is what the read is for
 * (the role's own purpose when routing); undefined when the register holds no key for the subject.
 */
export async function readRoleKey(
  sources: RoleKeyReader,
  role: AgencyRole,
  subject: Subject,
  context: { purpose: string; requester: string; journeyId?: string },
): Promise<string | undefined> {
  const read = await sources.read(role.source, subject, [role.field], {
    purpose: context.purpose,
    legalBasis: `${role.legalBasis.type}: ${role.legalBasis.reference}`,
    requester: context.requester,
    ...(context.journeyId ? { journeyId: context.journeyId } : {}),
  });
  const value = readPath(read.values, role.field);
  return typeof value === 'string' && value ? value : undefined;
}
