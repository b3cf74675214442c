import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CurrentUserGuard } from '../auth/current-user.guard';
import { UserEntity } from './user.entity';
import { UsersSchemaBootstrap } from './users-schema.bootstrap';
import { UsersChatDirectory } from './users-chat-directory';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  controllers: [UsersController],
  providers: [UsersSchemaBootstrap, UsersService, UsersChatDirectory, CurrentUserGuard],
  exports: [TypeOrmModule, UsersService, UsersChatDirectory],
})
export class UsersModule {}
