import { Injectable, type PipeTransform } from '@nestjs/common';
import { hasRole, type Principal } from '../auth/principal';
import { forbidden, ProblemException } from '../common/problem';

/** A catalog admin manages every agency's steps; an agency admin only those of their own agency. */
export function assertCanManageSteps(principal: Principal, agency: string): void {
  if (hasRole(principal, 'catalog-admin')) return;
  if (hasRole(principal, 'agency-admin') && principal.agency === agency) return;
  throw forbidden(
    principal.agency && hasRole(principal, 'agency-admin')
      ? `You are an agency admin of '${principal.agency}', so you cannot manage the steps of '${agency}'.`
      : `Managing the steps of '${agency}' needs the role catalog-admin, or agency-admin of '${agency}'.`,
  );
}

const MAX_VERSION = 2_147_483_647; // the int column

/** `:version` in a path: a whole number from 1, so the database never sees a bad one. */
@Injectable()
export class VersionPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const version = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
    if (!(version <= MAX_VERSION)) {
      throw new ProblemException(400, `The version in the path must be a whole number from 1 (got '${value}').`, {
        slug: 'invalid-request',
        title: 'Invalid request',
        errors: [{ path: '/version', message: 'must be a whole number from 1' }],
      });
    }
    return version;
  }
}
