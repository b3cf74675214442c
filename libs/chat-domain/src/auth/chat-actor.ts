/** The signed-in user as the chat sees them, resolved once per request by `ChatAccessGuard`. */
export interface ChatActor {
  id: string;
  role: string;
  full_name: string;
  kind: 'candidate' | 'staff';
  /**
   * A supervisor (`SUPPORT_CHAT_SUPERVISOR_ROLES`): `kind` is `staff`, so they see what staff see, but
   * they change nothing: `ChatAccessGuard` refuses them every write route unless it is marked
   * `@SupervisorAllowed()`, and reading moves no marker of theirs or anyone's.
   */
  supervisor?: boolean;
}

/** What the host's authentication guard leaves on `request.user`: at least the user's id. */
export interface AuthenticatedPrincipal {
  id?: string;
  sub?: string;
  /**
   * When the credential expires, in seconds since the epoch (a JWT's `exp`). Optional; when given, open
   * realtime connections opened with it are closed at that moment (`session_expired`).
   */
  exp?: number;
}

export const isStaff = (actor: ChatActor): boolean => actor.kind === 'staff';

export const isSupervisor = (actor: Pick<ChatActor, 'supervisor'>): boolean => actor.supervisor === true;

/** The caller's side of the chat as clients see it (`GET /me`'s `kind`). */
export type ChatSide = 'candidate' | 'staff' | 'supervisor';
export const chatSide = (actor: Pick<ChatActor, 'kind' | 'supervisor'>): ChatSide => (actor.supervisor ? 'supervisor' : actor.kind);
