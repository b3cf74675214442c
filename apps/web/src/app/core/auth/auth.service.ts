import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { catchError, map, Observable, of, switchMap, tap, throwError } from 'rxjs';

import { Api } from '@app/api/api';
import { authControllerLogin, authControllerMe, supportChatControllerMe } from '@app/api/functions';
import type { ChatMeDto } from '@app/api/models';
import type { SessionUser } from './auth.models';
import { isTokenExpired } from './jwt';
import { AREA_HOME, RoleArea } from './roles';
import { StoredSession, TokenStorage } from './token-storage';

/** What `GET /api/support/chat/me` says about the user, kept in the session. */
type ChatSide = Pick<StoredSession, 'chatArea' | 'canReopenClosed' | 'canAudit'>;

/** Why the last session ended, so the sign-in page can say so. */
export type SessionEndReason = 'logout' | 'expired';

/**
 * The signed-in user and their token, as signals. Components read `user()`, `area()`;
 * interceptors read `accessToken()`; guards call `hasValidSession()`.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(Api);
  private readonly http = inject(HttpClient);
  private readonly storage = inject(TokenStorage);

  private readonly endReason = signal<SessionEndReason | null>(null);
  private readonly session = signal<StoredSession | null>(this.restore());

  readonly user = computed(() => this.session()?.user ?? null);
  readonly accessToken = computed(() => this.session()?.accessToken ?? null);
  readonly isAuthenticated = computed(() => this.session() !== null);
  /**
   * Which shell the user belongs to: candidate, staff, or none (a role outside the chat). The server
   * decides (`GET /api/support/chat/me`, from its SUPPORT_CHAT_*_ROLES), so widening a role there is enough.
   */
  readonly area = computed<RoleArea>(() => this.session()?.chatArea ?? 'none');
  /** Whether the server lets this user reopen a closed conversation (`can_reopen_closed` of `GET /api/support/chat/me`). */
  readonly canReopenClosed = computed(() => this.session()?.canReopenClosed === true);
  /** Supervisors see the support workspace read-only (`kind: 'supervisor'` of `GET /api/support/chat/me`). */
  readonly readOnly = computed(() => this.area() === 'supervisor');
  /** Whether the server lets this user read the audit trail (`can_audit`). */
  readonly canAudit = computed(() => this.session()?.canAudit === true);
  /** Where the user lands after signing in. */
  readonly homeUrl = computed(() => AREA_HOME[this.area()]);
  /** Set when the session ended on its own (expired or rejected token), cleared on sign-in. */
  readonly lastSessionEnd = this.endReason.asReadonly();

  /** Signs in, then asks the chat which side the user is on; the session starts only once both answered. */
  login(username: string, password: string): Observable<SessionUser> {
    return this.api.invoke(authControllerLogin, { body: { username, password } }).pipe(
      switchMap((response) =>
        this.fetchChatSide(response.access_token).pipe(
          tap((side) => this.start({ accessToken: response.access_token, user: response.user, ...side })),
          map(() => response.user),
        ),
      ),
    );
  }

  /** Reloads the signed-in user's profile (`GET /api/auth/me`) and chat side, and keeps them in the session. */
  refreshUser(): Observable<SessionUser> {
    return this.api.invoke(authControllerMe).pipe(
      switchMap((user) => {
        const current = this.session();
        if (!current) return of(user);
        return this.fetchChatSide(current.accessToken).pipe(
          tap((side) => this.start({ accessToken: current.accessToken, user, ...side })),
          map(() => user),
        );
      }),
    );
  }

  /** The user asked to sign out. */
  logout(): void {
    this.end('logout');
  }

  /** The token expired or the API rejected it: end the session and remember why. */
  expireSession(): void {
    if (this.session() !== null) this.end('expired');
  }

  /**
   * True when there is a session whose token has not expired yet. An expired token ends the
   * session here, so guards send the user to sign in before any request fails.
   */
  hasValidSession(now: number = Date.now()): boolean {
    const current = this.session();
    if (!current) return false;
    if (isTokenExpired(current.accessToken, now)) {
      this.expireSession();
      return false;
    }
    return true;
  }

  /** `GET /api/support/chat/me` with this token; a 403 means a role outside the chat. */
  private fetchChatSide(accessToken: string): Observable<ChatSide> {
    return this.http.get<ChatMeDto>(`${this.api.rootUrl}${supportChatControllerMe.PATH}`, { headers: { Authorization: `Bearer ${accessToken}` } }).pipe(
      map((me): ChatSide => ({ chatArea: me.kind, canReopenClosed: me.can_reopen_closed === true, canAudit: me.can_audit === true })),
      catchError((error: unknown) =>
        error instanceof HttpErrorResponse && error.status === 403
          ? of<ChatSide>({ chatArea: 'none', canReopenClosed: false, canAudit: false })
          : throwError(() => error),
      ),
    );
  }

  private start(session: StoredSession): void {
    this.storage.write(session);
    this.session.set(session);
    this.endReason.set(null);
  }

  private end(reason: SessionEndReason): void {
    this.storage.clear();
    this.session.set(null);
    this.endReason.set(reason);
  }

  private restore(): StoredSession | null {
    const stored = this.storage.read();
    if (stored && isTokenExpired(stored.accessToken)) {
      this.storage.clear();
      this.endReason.set('expired');
      return null;
    }
    return stored;
  }
}
