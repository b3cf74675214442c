import { CanActivate, DynamicModule, Logger, Module, ModuleMetadata, OnApplicationBootstrap, Inject, Provider, Type } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { automationProviders, SUPPORT_CHAT_AUTOMATION_CONTROLLERS } from './automation/automation.providers';
import type { SupportChatAutomationConfig } from './automation/automation.config';
import type { ChatNotifier } from './automation/chat-notifier';
import { ChatAccessGuard } from './auth/chat-access.guard';
import { SUPPORT_CHAT_HOST_AUTH_GUARD } from './auth/tokens';
import { loadSupportChatConfig, SUPPORT_CHAT_CONFIG, SupportChatConfig } from './config/support-chat.config';
import type { SupportChatLimitsOptions } from './limits/abuse-limits.config';
import { limitsProviders } from './limits/limits.providers';
import { SUPPORT_CHAT_ENTITIES } from './persistence/entities';
import { checkAndCreateSupportChatTables } from './persistence/schema/check-and-create-support-chat-tables';
import { SqliteCheckpoints } from './persistence/sqlite-checkpoints';
import { SqliteIntegerParameters } from './persistence/sqlite-integer-parameters';
import { CHAT_DATA_SOURCE } from './persistence/tokens';
import { realtimeProviders, SUPPORT_CHAT_REALTIME_CONTROLLERS } from './realtime/realtime.providers';
import type { SupportChatRealtimeOptions } from './realtime/realtime.config';
import { loadServiceHoursConfig, SUPPORT_CHAT_SERVICE_HOURS_CONFIG } from './service-hours/service-hours.config';
import { SUPPORT_CHAT_PROVIDERS, SUPPORT_CHAT_CONTROLLERS } from './support-chat.providers';
import { CHAT_USER_DIRECTORY, ChatUserDirectory } from './users/chat-user-directory';

/** Runtime options; `forRootAsync` lets the host compute them from its own configuration. */
export interface SupportChatModuleOptions {
  /** Overrides applied on top of the `SUPPORT_CHAT_*` environment variables. */
  config?: Partial<SupportChatConfig>;
  /** Where the `SUPPORT_CHAT_*` variables are read from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Run `checkAndCreateSupportChatTables()` at start-up (default `true`). */
  checkSchemaOnStartup?: boolean;
  /** SSE / WebSocket delivery; `redisUrl` (default `env.REDIS_URL`) enables delivery across instances. */
  realtime?: SupportChatRealtimeOptions;
  /**
   * Abuse limits (`SUPPORT_CHAT_RATE_LIMIT_*`, `SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE`); `0` disables one.
   * Counters live in Redis when `realtime.redisUrl` / `REDIS_URL` is set, so they hold across instances.
   */
  limits?: SupportChatLimitsOptions;
  /**
   * Scheduled jobs and links (issue 17): auto-resolve, e-mail when away, the public URL of the web app.
   * Overrides the `SUPPORT_CHAT_AUTO_RESOLVE_*`, `SUPPORT_CHAT_EMAIL_AWAY_*` and `SUPPORT_CHAT_PUBLIC_URL` variables.
   */
  automation?: Partial<SupportChatAutomationConfig>;
}

/** The host's collaborators: fixed at import time because they are classes Nest must instantiate. */
export interface SupportChatModuleBindings {
  /** Modules that export the directory's and the guard's dependencies. */
  imports?: ModuleMetadata['imports'];
  /** The host's implementation of `ChatUserDirectory`. */
  userDirectory: Type<ChatUserDirectory>;
  /** The host's authentication guard; it must leave `{ id }` (or `{ sub }`) on `request.user`. */
  authGuard: Type<CanActivate>;
  /** Name of the host's TypeORM data source, when it is not the default one. */
  dataSourceName?: string;
  /** The host's `ChatNotifier` (e-mail when away); without one, e-mails are logged, not sent. */
  notifier?: Type<ChatNotifier>;
}

export interface SupportChatModuleAsyncOptions extends SupportChatModuleBindings {
  inject?: (string | symbol | Type<unknown>)[];
  useFactory: (...args: never[]) => SupportChatModuleOptions | Promise<SupportChatModuleOptions>;
}

const SUPPORT_CHAT_OPTIONS = Symbol('SUPPORT_CHAT_OPTIONS');

/** Runs the idempotent schema check once the host's data source is connected. */
class SupportChatSchemaBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SUPPORT_CHAT_OPTIONS) private readonly options: SupportChatModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.checkSchemaOnStartup === false) return;
    await checkAndCreateSupportChatTables(this.dataSource, new Logger('SupportChatSchema'));
  }
}

/**
 * The support chat, mounted under `support/chat` (the host adds its global prefix, e.g. `/api`).
 *
 * ```ts
 * SupportChatModule.forRoot({ imports: [UsersModule], userDirectory: UsersChatDirectory, authGuard: JwtAuthGuard })
 * ```
 */
@Module({})
export class SupportChatModule {
  static forRoot(bindings: SupportChatModuleBindings & { options?: SupportChatModuleOptions }): DynamicModule {
    return SupportChatModule.build(bindings, { provide: SUPPORT_CHAT_OPTIONS, useValue: bindings.options ?? {} });
  }

  static forRootAsync(bindings: SupportChatModuleAsyncOptions): DynamicModule {
    return SupportChatModule.build(bindings, {
      provide: SUPPORT_CHAT_OPTIONS,
      inject: bindings.inject ?? [],
      useFactory: bindings.useFactory as (...args: unknown[]) => SupportChatModuleOptions | Promise<SupportChatModuleOptions>,
    });
  }

  private static build(bindings: SupportChatModuleBindings, optionsProvider: Provider): DynamicModule {
    return {
      module: SupportChatModule,
      imports: [...(bindings.imports ?? []), TypeOrmModule.forFeature([...SUPPORT_CHAT_ENTITIES], bindings.dataSourceName)],
      controllers: [...SUPPORT_CHAT_CONTROLLERS, ...SUPPORT_CHAT_REALTIME_CONTROLLERS, ...SUPPORT_CHAT_AUTOMATION_CONTROLLERS],
      providers: [
        optionsProvider,
        {
          provide: SUPPORT_CHAT_CONFIG,
          inject: [SUPPORT_CHAT_OPTIONS],
          useFactory: (options: SupportChatModuleOptions) => loadSupportChatConfig(options.env ?? process.env, options.config),
        },
        {
          provide: SUPPORT_CHAT_SERVICE_HOURS_CONFIG,
          inject: [SUPPORT_CHAT_OPTIONS],
          useFactory: (options: SupportChatModuleOptions) => loadServiceHoursConfig(options.env ?? process.env),
        },
        { provide: CHAT_DATA_SOURCE, useExisting: getDataSourceToken(bindings.dataSourceName) },
        { provide: CHAT_USER_DIRECTORY, useClass: bindings.userDirectory },
        { provide: SUPPORT_CHAT_HOST_AUTH_GUARD, useClass: bindings.authGuard },
        ChatAccessGuard,
        SupportChatSchemaBootstrap,
        SqliteIntegerParameters,
        SqliteCheckpoints,
        ...SUPPORT_CHAT_PROVIDERS,
        ...realtimeProviders(SUPPORT_CHAT_OPTIONS),
        ...limitsProviders(SUPPORT_CHAT_OPTIONS),
        ...automationProviders(SUPPORT_CHAT_OPTIONS, bindings.notifier),
      ],
      exports: [SUPPORT_CHAT_CONFIG, SUPPORT_CHAT_SERVICE_HOURS_CONFIG, ChatAccessGuard, ...SUPPORT_CHAT_PROVIDERS],
    };
  }
}
