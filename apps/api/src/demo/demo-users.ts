import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { NewUser, UsersService } from '../users/users.service';

export const DEMO_PASSWORD = 'Demo1234!';

/** The demo accounts listed in the README; `gerente1` is a supervisor (read-only, audit trail). */
export const DEMO_USERS: readonly Omit<NewUser, 'password'>[] = [
  {
    username: 'candidato1',
    fullName: 'Ana María López Hernández',
    email: 'ana.lopez@example.com',
    role: 'candidato',
    phone: '+52 55 1234 5601',
    curp: 'LOHA950314MDFPRN08',
  },
  {
    username: 'candidato2',
    fullName: 'José Luis Ramírez Ortega',
    email: 'jose.ramirez@example.com',
    role: 'candidato',
    phone: '+52 33 2345 6702',
    curp: 'RAOJ980722HJCMRS05',
  },
  { username: 'soporte1', fullName: 'Lucía Fernández Ruiz', email: 'lucia.fernandez@example.com', role: 'soporte', phone: '+52 55 3456 7803' },
  { username: 'admin1', fullName: 'Carlos Méndez Soto', email: 'carlos.mendez@example.com', role: 'admin', phone: '+52 55 4567 8904' },
  { username: 'developer1', fullName: 'Sofía Navarro Díaz', email: 'sofia.navarro@example.com', role: 'developer' },
  // Second tier (SUPPORT_CHAT_COORDINATOR_ROLES): staff who also receive escalated conversations.
  { username: 'coordinador1', fullName: 'Patricia Coordinadora Ruiz', email: 'patricia.ruiz@example.com', role: 'coordinator' },
  { username: 'gerente1', fullName: 'Miguel Ángel Torres Vega', email: 'miguel.torres@example.com', role: 'gerente' },
];

/**
 * Creates the demo accounts that are missing. Idempotent: existing accounts (even if edited or
 * deactivated since) are left alone. Sequential on purpose: the SQLite driver shares one connection.
 */
export async function seedDemoUsers(users: UsersService, logger: Pick<Logger, 'log'> = new Logger('DemoUsers')): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_USERS) {
    if (await users.findByUsername(demo.username)) continue;
    await users.create({ ...demo, password: DEMO_PASSWORD });
    created.push(demo.username);
  }
  logger.log(created.length > 0 ? `created demo users: ${created.join(', ')} (password ${DEMO_PASSWORD})` : 'demo users already present');
  return created;
}

@Injectable()
export class DemoUsersSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.demoUsers) await seedDemoUsers(this.users);
  }
}
