/** The signed-in user as the chat sees them, resolved once per request by `ChatAccessGuard`. */
export interface ChatActor {
  id: string;
  role: string;
  full_name: string;
  kind: 'candidate' | 'staff';
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
