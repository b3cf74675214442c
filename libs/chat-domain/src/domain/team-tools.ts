/**
 * Who manages what the whole team shares (the team's quick replies and the labels): staff whose role is
 * one of the admin roles (`SUPPORT_CHAT_ADMIN_ROLES`, default `admin`).
 */
export function canManageTeamTools(actor: { kind: 'candidate' | 'staff'; role: string }, adminRoles: readonly string[]): boolean {
  return actor.kind === 'staff' && adminRoles.includes(actor.role);
}
