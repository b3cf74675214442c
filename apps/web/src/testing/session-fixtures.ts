import type { SessionUser } from '@app/core/auth/auth.models';
import type { RoleArea } from '@app/core/auth/roles';

export const CANDIDATE: SessionUser = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'candidato1',
  full_name: 'Ana López Pérez',
  role: 'candidato',
  email: 'candidato1@example.mx',
  curp: null,
  phone: null,
  is_active: true,
  created_at: '2026-01-05T16:00:00.000Z',
};

export const SUPPORT_AGENT: SessionUser = {
  id: '00000000-0000-4000-8000-000000000003',
  username: 'soporte1',
  full_name: 'Sofía Ramírez',
  role: 'soporte',
  email: 'soporte1@example.mx',
  curp: null,
  phone: null,
  is_active: true,
  created_at: '2026-01-05T16:00:00.000Z',
};

export const MANAGER: SessionUser = {
  id: '00000000-0000-4000-8000-000000000006',
  username: 'gerente1',
  full_name: 'Gerardo Núñez',
  role: 'gerente',
  email: 'gerente1@example.mx',
  curp: null,
  phone: null,
  is_active: true,
  created_at: '2026-01-05T16:00:00.000Z',
};

/** Key the app keeps its session under (see TokenStorage). */
export const SESSION_STORAGE_KEY = 'support-chat.session';

/** The side of the chat the demo server's default role lists give each fixture role (the server decides; see `GET /api/support/chat/me`). */
export function defaultChatArea(role: string): RoleArea {
  if (role === 'candidato') return 'candidate';
  return ['soporte', 'admin', 'developer'].includes(role) ? 'staff' : 'none';
}

/** Puts a session in localStorage as if the user had signed in before this page load. */
export function storeSession(user: SessionUser, accessToken: string, chatArea: RoleArea = defaultChatArea(user.role), canReopenClosed?: boolean): void {
  localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken, user, chatArea, canReopenClosed }));
}
