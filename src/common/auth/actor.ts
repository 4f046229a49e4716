export const ROLES = ['admin', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in staff member a request acts for. */
export interface Actor {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** The coordinator's branch; null for an administrator, who sees every branch. */
  branchId: string | null;
}

/**
 * Branch isolation, decided in one place: the branch an actor's reads and writes are
 * confined to, or null for all branches. Every staff query filters on this.
 */
export function branchScopeOf(actor: Actor): string | null {
  return actor.role === 'admin' ? null : actor.branchId;
}
