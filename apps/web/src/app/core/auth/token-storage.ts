import { DOCUMENT, inject, Injectable } from '@angular/core';

import type { SessionUser } from './auth.models';
import type { RoleArea } from './roles';

/** What survives a page reload: the bearer token, the user it belongs to and their side of the chat. */
export interface StoredSession {
  readonly accessToken: string;
  readonly user: SessionUser;
  /** From `GET /api/support/chat/me` at sign-in; the server's role lists decide it. */
  readonly chatArea: RoleArea;
  /**
   * From the same answer: may this user reopen a conversation staff closed? Absent in sessions stored
   * before the server said so; those count as "no" until the next sign-in or profile refresh.
   */
  readonly canReopenClosed?: boolean;
  /** From the same answer: may this user read the audit trail (`can_audit`)? Absent counts as "no". */
  readonly canAudit?: boolean;
}

const AREAS: readonly unknown[] = ['candidate', 'staff', 'supervisor', 'none'] satisfies RoleArea[];

const STORAGE_KEY = 'support-chat.session';

/**
 * Keeps the session in `localStorage` so a reload does not sign the user out.
 * Anything unreadable (old format, manual edits, storage disabled) counts as "no session".
 */
@Injectable({ providedIn: 'root' })
export class TokenStorage {
  private readonly storage: Storage | null = inject(DOCUMENT).defaultView?.localStorage ?? null;

  read(): StoredSession | null {
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      if (!raw) return null;
      const parsed: unknown = JSON.parse(raw);
      return isStoredSession(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  write(session: StoredSession): void {
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch {
      // Storage full or disabled: the session still lives in memory until the tab closes.
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // Nothing to clear.
    }
  }
}

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  // A session stored before the chat side was kept has no `chatArea`: it counts as none, so the user signs in again.
  const candidate = value as { accessToken?: unknown; user?: { id?: unknown; role?: unknown }; chatArea?: unknown };
  return (
    typeof candidate.accessToken === 'string' &&
    AREAS.includes(candidate.chatArea) &&
    typeof candidate.user === 'object' &&
    candidate.user !== null &&
    typeof candidate.user.id === 'string' &&
    typeof candidate.user.role === 'string'
  );
}
