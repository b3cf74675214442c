/**
 * The chat module's only view of the host's users. The host implements this interface over its own
 * user store; the module never reads the host's tables.
 */
export interface ChatUserRecord {
  id: string;
  role: string;
  full_name: string;
  is_active: boolean;
  /** Shown to staff only; candidates never receive these fields. */
  username?: string | null;
  email?: string | null;
}

export interface CandidateSearchQuery {
  /** Free text matched against name, username or email; empty lists the first candidates. */
  search?: string;
  limit: number;
}

export interface ChatUserDirectory {
  findById(id: string): Promise<ChatUserRecord | null>;
  /** Batch lookup used by list endpoints so that summaries cost one query, not one per row. */
  findByIds(ids: readonly string[]): Promise<ChatUserRecord[]>;
  /** Candidates (users whose role is one of `roles`) matching the query. */
  searchUsers(query: CandidateSearchQuery & { roles: readonly string[] }): Promise<ChatUserRecord[]>;
}

/** Injection token for the host's `ChatUserDirectory` implementation. */
export const CHAT_USER_DIRECTORY = Symbol('CHAT_USER_DIRECTORY');
