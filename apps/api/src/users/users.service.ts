import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';

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
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  /** One query per 1000 ids (so one query in practice), whatever the number of ids. */
  async findByIds(ids: readonly string[]): Promise<UserEntity[]> {
    const unique = [...new Set(ids)];
    const found: UserEntity[] = [];
    for (let start = 0; start < unique.length; start += IN_CHUNK) {
      found.push(...(await this.users.findBy({ id: In(unique.slice(start, start + IN_CHUNK)) })));
    }
    return found;
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
