/** For the access specs: the callers of the role matrix, as HS256 tokens. */
import { newId } from '../../ids';
import type { Role } from './principal';
import { signHs256 } from './tokens.fixtures';

export const CUSTOMER_A = newId();
export const CUSTOMER_B = newId();

export const CALLERS = {
  anonymous: null,
  noRoles: { subject: 'nobody', roles: [] },
  catalog: { subject: 'cat-1', roles: ['catalog:write'] },
  inventory: { subject: 'inv-1', roles: ['inventory:write'] },
  staff: { subject: 'staff-1', roles: ['orders:write'] },
  customerA: { subject: CUSTOMER_A, roles: ['customer'] },
  auditor: { subject: 'aud-1', roles: ['auditor'] },
} as const satisfies Record<string, { subject: string; roles: Role[] } | null>;

export type Caller = keyof typeof CALLERS;
export const CALLER_NAMES = Object.keys(CALLERS) as Caller[];

/** Every role at once, for setting up what a cell needs. */
export const ADMIN = {
  subject: 'admin',
  roles: ['catalog:write', 'inventory:write', 'orders:write', 'auditor'],
};

/** `Authorization` header values per caller (none for anonymous). */
export async function bearerHeaders(): Promise<Record<Caller, string | null>> {
  const entries = await Promise.all(
    CALLER_NAMES.map(async (name) => {
      const caller = CALLERS[name];
      return [name, caller ? `Bearer ${await signHs256(caller)}` : null] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Caller, string | null>;
}

/** Renders an expected-vs-actual matrix so a failing cell is found at a glance. */
export function mismatches(
  rows: Array<{ route: string; caller: Caller; expected: number; actual: number }>,
): string[] {
  return rows
    .filter((row) => row.expected !== row.actual)
    .map((row) => `${row.route} as ${row.caller}: expected ${row.expected}, got ${row.actual}`);
}
