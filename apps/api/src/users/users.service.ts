import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ObjectLiteral, Repository } from 'typeorm';

import { PasswordHasher } from '../auth/password-hasher';
import { UserEntity } from './user.entity';

export interface NewUser {
  username: string;
  password: string;
  fullName: string;
  email: string;
  role: string;
  phone?: string | null;
  curp?: string | null;
  isActive?: boolean;
}

export interface UserSearch {
  roles: readonly string[];
  search?: string;
  limit: number;
  /** Include deactivated accounts (default false). */
  includeInactive?: boolean;
}

/** Ids per `IN (...)` list: stays well below SQL Server's 2100-parameter limit. */
const IN_CHUNK = 1000;
/** Escape character for LIKE patterns; `!` needs no escaping in any dialect's string literals. */
const LIKE_ESCAPE = '!';

export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_[\]]/g, (c) => LIKE_ESCAPE + c)}%`;
}

/** The properties the chat's directory reads (`UsersChatDirectory`): no password hash, no dates. */
export const CHAT_USER_PROPERTIES = ['id', 'username', 'fullName', 'email', 'role', 'isActive'] as const;
export type ChatUserFields = Pick<UserEntity, (typeof CHAT_USER_PROPERTIES)[number]>;

type Lookup = 'byId' | 'byIds';
type Projection = 'entity' | 'chat';
type ColumnMetadata = Repository<UserEntity>['metadata']['columns'][number];

/** The host's user store. */
@Injectable()
export class UsersService {
  /** SQL of the lookups every request makes, built once by the query builder (`:named` placeholders). */
  private readonly sql = new Map<`${Lookup}:${Projection}`, string>();
  private readonly readers = new Map<Projection, { key: string; column: ColumnMetadata }[]>();

  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async findById(id: string): Promise<UserEntity | null> {
    const [user] = await this.lookup('byId', 'entity', { id });
    return user ?? null;
  }

  /** The chat's view of one user, on every chat request: only the columns it reads. */
  async findChatUserById(id: string): Promise<ChatUserFields | null> {
    const [user] = await this.lookup('byId', 'chat', { id });
    return user ?? null;
  }

  /** The chat's view of many users (a page's names): one query per 1000 ids (so one query in practice). */
  async findChatUsersByIds(ids: readonly string[]): Promise<ChatUserFields[]> {
    const unique = [...new Set(ids)];
    const found: ChatUserFields[] = [];
    for (let start = 0; start < unique.length; start += IN_CHUNK) {
      found.push(...(await this.lookup('byIds', 'chat', { ids: unique.slice(start, start + IN_CHUNK) })));
    }
    return found;
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  /**
   * Every authenticated request looks its user up, and most pages their names: `findOneBy` would rebuild
   * the statement and hydrate through TypeORM's general path each time. Here the SQL is built once and
   * bound by the driver (`escapeQueryWithParameters`); rows become entities with the driver's own value
   * conversion for each column (`prepareHydratedValue`, the call TypeORM's own reads make). The chat's
   * projection selects only the columns its directory reads.
   */
  private lookup(kind: Lookup, projection: 'entity', parameters: ObjectLiteral): Promise<UserEntity[]>;
  private lookup(kind: Lookup, projection: 'chat', parameters: ObjectLiteral): Promise<ChatUserFields[]>;
  private async lookup(kind: Lookup, projection: Projection, parameters: ObjectLiteral): Promise<(UserEntity | ChatUserFields)[]> {
    const { metadata } = this.users;
    let text = this.sql.get(`${kind}:${projection}`);
    if (!text) {
      const builder = this.users.createQueryBuilder('u').where(kind === 'byId' ? 'u.id = :id' : 'u.id IN (:...ids)');
      if (projection === 'chat') builder.select(CHAT_USER_PROPERTIES.map((property) => `u.${property}`));
      text = builder.getQuery();
      this.sql.set(`${kind}:${projection}`, text);
    }
    const { driver } = this.users.manager.connection;
    const [query, values] = driver.escapeQueryWithParameters(text, parameters);
    const rows = await this.users.query<Record<string, unknown>[]>(query, values);
    // The row keys, built once per projection (not per row and column).
    let readers = this.readers.get(projection);
    if (!readers) {
      const columns = projection === 'entity' ? metadata.columns : CHAT_USER_PROPERTIES.map((property) => metadata.findColumnWithPropertyName(property)!);
      readers = columns.map((column) => ({ key: `u_${column.databaseName}`, column }));
      this.readers.set(projection, readers);
    }
    return rows.map((row) => {
      const user = this.users.create();
      for (const { key, column } of readers) column.setEntityValue(user, driver.prepareHydratedValue(row[key], column));
      return user;
    });
  }

  /** Case-insensitive match on name, username or e-mail, among the given roles, ordered by name. */
  search(query: UserSearch): Promise<UserEntity[]> {
    if (query.roles.length === 0) return Promise.resolve([]);
    const builder = this.users.createQueryBuilder('u').where('u.role IN (:...roles)', { roles: [...query.roles] });
    if (!query.includeInactive) builder.andWhere('u.is_active = :active', { active: true });
    const text = query.search?.trim();
    if (text) {
      builder.andWhere(
        `(LOWER(u.full_name) LIKE :pattern ESCAPE '${LIKE_ESCAPE}' OR LOWER(u.username) LIKE :pattern ESCAPE '${LIKE_ESCAPE}' OR LOWER(u.email) LIKE :pattern ESCAPE '${LIKE_ESCAPE}')`,
        { pattern: likePattern(text) },
      );
    }
    return builder.orderBy('u.full_name', 'ASC').addOrderBy('u.id', 'ASC').take(query.limit).getMany();
  }

  async create(input: NewUser): Promise<UserEntity> {
    const user = this.users.create({
      id: randomUUID(),
      username: input.username,
      fullName: input.fullName,
      email: input.email,
      phone: input.phone ?? null,
      curp: input.curp ?? null,
      role: input.role,
      isActive: input.isActive ?? true,
      passwordHash: await PasswordHasher.hash(input.password),
      createdAt: new Date(),
    });
    return this.users.save(user);
  }

  async setActive(id: string, isActive: boolean): Promise<void> {
    await this.users.update({ id }, { isActive });
  }
}
