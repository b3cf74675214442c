/**
 * Which part of the app a user may use. The server decides it from its own role lists
 * (`GET /api/support/chat/me`; see `AuthService.area`): the web keeps no list of roles, so a host
 * that widens `SUPPORT_CHAT_CANDIDATE_ROLES` or `SUPPORT_CHAT_STAFF_ROLES` needs no web change.
 */
export type RoleArea = 'candidate' | 'staff' | 'supervisor' | 'none';

/** Areas that use the support shell: supervisors see the support workspace read-only. */
export const SUPPORT_AREAS: readonly RoleArea[] = ['staff', 'supervisor'];

/** The page each area lands on after signing in. */
export const AREA_HOME: Readonly<Record<RoleArea, string>> = {
  candidate: '/inicio',
  staff: '/support/communication',
  supervisor: '/support/communication',
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
    case 'coordinator':
      return 'Coordinación';
    case 'gerente':
      return 'Gerencia';
    default:
      return role ?? '';
  }
}
