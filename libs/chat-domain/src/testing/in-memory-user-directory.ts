import { CandidateSearchQuery, ChatUserDirectory, ChatUserRecord } from '../users/chat-user-directory';

/**
 * A host user directory kept in memory, for the chat module's own tests: the module is tested
 * against its contract, independently of any particular host.
 */
export class InMemoryUserDirectory implements ChatUserDirectory {
  private readonly users = new Map<string, ChatUserRecord>();
  /** How many times the module asked; lets tests prove lookups are batched. */
  calls = 0;

  constructor(users: ChatUserRecord[] = []) {
    for (const user of users) this.users.set(user.id, user);
  }

  put(user: ChatUserRecord): void {
    this.users.set(user.id, user);
  }

  async findById(id: string): Promise<ChatUserRecord | null> {
    this.calls++;
    return this.users.get(id) ?? null;
  }

  async findByIds(ids: readonly string[]): Promise<ChatUserRecord[]> {
    this.calls++;
    return ids.map((id) => this.users.get(id)).filter((user): user is ChatUserRecord => user !== undefined);
  }

  async searchUsers(query: CandidateSearchQuery & { roles: readonly string[] }): Promise<ChatUserRecord[]> {
    this.calls++;
    const needle = (query.search ?? '').toLowerCase();
    return [...this.users.values()]
      .filter((user) => query.roles.includes(user.role))
      .filter((user) => !needle || [user.full_name, user.username, user.email].some((value) => value?.toLowerCase().includes(needle)))
      .slice(0, query.limit);
  }
}
