import type { JWTPayload } from 'jose';

/** The roles the APIs know; a token may carry others, which grant nothing here. */
export const ROLES = [
  'catalog:write',
  'inventory:write',
  'orders:write',
  'customer',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Who a verified token says is calling. */
export interface Principal {
  subject: string;
  roles: ReadonlySet<Role>;
}

const KNOWN = new Set<string>(ROLES);

/**
 * Reads the roles at a dotted claim path (`roles`, `realm_access.roles`): an array of strings
 * or one space-separated string (the OAuth `scope` style). Anything else grants no role.
 */
export function rolesFrom(payload: JWTPayload, claimPath: string): Set<Role> {
  let value: unknown = payload;
  for (const key of claimPath.split('.')) {
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  const names = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
  const roles = new Set<Role>();
  for (const name of names) {
    if (typeof name === 'string' && KNOWN.has(name)) roles.add(name as Role);
  }
  return roles;
}

export function principalOf(locals: Record<string, unknown>): Principal | null {
  return (locals.principal as Principal | undefined) ?? null;
}
