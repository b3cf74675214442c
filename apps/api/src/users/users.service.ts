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

/** The host's user store. */
@Injectable()
export class UsersService {
  /** SQL of the two lookups every request makes, built once by the query builder (`:named` placeholders). */
  private readonly sql = new Map<'byId' | 'byIds', string>();
  private readers: { key: string; column: Repository<UserEntity>['metadata']['columns'][number] }[] | undefined;

  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async findById(id: string): Promise<UserEntity | null> {
    const [user] = await this.lookup('byId', { id });
    return user ?? null;
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  /** One query per 1000 ids (so one query in practice), whatever the number of ids. */
  async findByIds(ids: readonly string[]): Promise<UserEntity[]> {
    const unique = [...new Set(ids)];
    const found: UserEntity[] = [];
    for (let start = 0; start < unique.length; start += IN_CHUNK) {
      found.push(...(await this.lookup('byIds', { ids: unique.slice(start, start + IN_CHUNK) })));
    }
    return found;
  }

  /**
   * Every authenticated request looks its user up, and most pages their names: `findOneBy` would rebuild
   * the statement and hydrate through TypeORM's general path each time. Here the SQL is built once and
   * bound by the driver (`escapeQueryWithParameters`); rows become entities with the driver's own value
   * conversion for each column (`prepareHydratedValue`, the call TypeORM's own reads make).
   */
  private async lookup(kind: 'byId' | 'byIds', parameters: ObjectLiteral): Promise<UserEntity[]> {
    let text = this.sql.get(kind);
    if (!text) {
      text = this.users
        .createQueryBuilder('u')
        .where(kind === 'byId' ? 'u.id = :id' : 'u.id IN (:...ids)')
        .getQuery();
      this.sql.set(kind, text);
    }
    const { driver } = this.users.manager.connection;
    const [query, values] = driver.escapeQueryWithParameters(text, parameters);
    const rows = await this.users.query<Record<string, unknown>[]>(query, values);
    // The row keys, built once (not per row and column).
    this.readers ??= this.users.metadata.columns.map((column) => ({ key: `u_${column.databaseName}`, column }));
    const readers = this.readers;
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
