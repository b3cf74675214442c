/**
 * Which part of the app a role may use. The API decides what each role can do;
 * the web only uses this to pick the right shell and to keep people out of pages
 * that would answer them with 403 anyway.
 */
export type RoleArea = 'candidate' | 'staff' | 'none';

/** Roles that use the candidate page (`/chat-soporte`). */
export const CANDIDATE_ROLES: readonly string[] = ['candidato'];

/** Roles that use the support workspace (`/support/communication`). */
export const STAFF_ROLES: readonly string[] = ['soporte', 'admin', 'developer'];

export function roleArea(role: string | null | undefined): RoleArea {
  if (role && CANDIDATE_ROLES.includes(role)) return 'candidate';
  if (role && STAFF_ROLES.includes(role)) return 'staff';
  return 'none';
}

/** The page each area lands on after signing in. */
export const AREA_HOME: Readonly<Record<RoleArea, string>> = {
  candidate: '/inicio',
  staff: '/support/communication',
  none: '/sin-acceso',
};

/** Spanish label for a role, for headers and menus. */
export function roleLabel(role: string | null | undefined): string {
  switch (role) {
    case 'candidato':
      return 'Candidato';
    case 'soporte':
      return 'Soporte';
    case 'admin':
      return 'Administración';
    case 'developer':
      return 'Desarrollo';
    case 'gerente':
      return 'Gerencia';
    default:
      return role ?? '';
  }
}
