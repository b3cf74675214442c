import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ensureUsersTable } from './users.schema';

/** Creates the host's `users` table (if missing) before anything reads it. */
@Injectable()
export class UsersSchemaBootstrap implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await ensureUsersTable(this.dataSource, new Logger('UsersSchema'));
  }
}
