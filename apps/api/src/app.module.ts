import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';

/** The TypeORM settings a caller may add to those parsed from `DATABASE_URL` (tests: a query-counting logger). */
export type DataSourceExtras = Pick<DataSourceOptions, 'logger' | 'logging' | 'maxQueryExecutionTime'>;
import { RedisThrottlerStorage, SUPPORT_CHAT_ENTITIES, SupportChatModule } from '@support-chat/chat-domain';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

import { AuthModule } from './auth/auth.module';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { loginThrottlers } from './auth/login-throttler.guard';
import { loggerParams } from './common/logging';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { ApiConfigModule } from './config/api-config.module';
import { parseDatabaseUrl } from './database/database-url';
import { DemoUsersSeeder } from './demo/demo-users';
import { HealthController } from './health/health.controller';
import { SmtpChatNotifier } from './notifications/smtp-chat-notifier';
import { UserEntity } from './users/user.entity';
import { UsersChatDirectory } from './users/users-chat-directory';
import { UsersModule } from './users/users.module';
import { UsersService } from './users/users.service';
import { UploadsModule } from './uploads/uploads.module';
import { WebAppModule } from './web-app/web-app.module';

/** Every entity the host's data source knows: the chat's three and the host's `users`. */
export const API_ENTITIES = [...SUPPORT_CHAT_ENTITIES, UserEntity];

/**
 * The demo host: its own users and JWT login, and the support chat mounted on top of them.
 * Built from an already-validated `ApiConfig` so that tests and scripts can pass their own.
 */
@Module({})
export class AppModule {
  /**
   * @param dataSourceExtras added to the options parsed from `DATABASE_URL`.
   * @param logDestination where request logs go instead of stdout (tests read them).
   */
  static register(config: ApiConfig, dataSourceExtras: DataSourceExtras = {}, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ApiConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, logDestination)),
        TypeOrmModule.forRoot({
          ...parseDatabaseUrl(config.databaseUrl, { entities: API_ENTITIES }),
          retryAttempts: config.nodeEnv === 'test' ? 0 : 5,
          retryDelay: 2000,
          ...dataSourceExtras,
        }),
        UsersModule,
        AuthModule,
        SupportChatModule.forRootAsync({
          imports: [AuthModule],
          userDirectory: UsersChatDirectory,
          authGuard: JwtAuthGuard,
          // E-mail when away: nodemailer over SMTP_URL (unset: logged, not sent).
          notifier: SmtpChatNotifier,
          inject: [API_CONFIG],
          useFactory: (apiConfig: ApiConfig) => ({ env: apiConfig.env, realtime: { redisKeyPrefix: apiConfig.redisKeyPrefix } }),
        }),
        TerminusModule.forRoot({ logger: config.nodeEnv !== 'test' }),
        UploadsModule,
        WebAppModule.register(config.env),
        // Only routes that opt in with `LoginThrottlerGuard` are limited (the login): per IP and per account.
        // With REDIS_URL the counters are shared by every instance (uploads count there too).
        // The per-account limit looks the account up as the login does (see `loginThrottlers`).
        ThrottlerModule.forRootAsync({
          imports: [UsersModule],
          inject: [UsersService],
          useFactory: (users: UsersService) => ({
            throttlers: loginThrottlers(config, (username) => users.findByUsername(username)),
            ...(config.redisUrl ? { storage: new RedisThrottlerStorage(config.redisUrl, `${config.redisKeyPrefix}:login-rate`) } : {}),
          }),
        }),
      ],
      controllers: [HealthController],
      providers: [DemoUsersSeeder],
    };
  }
}
