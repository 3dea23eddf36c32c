import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from './principal';

export const PUBLIC_KEY = 'levensloop:public';
export const ROLES_KEY = 'levensloop:roles';

/** The endpoint needs no token (health, OpenAPI). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** The caller needs at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);
