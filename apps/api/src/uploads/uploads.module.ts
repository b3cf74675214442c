import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';

import { AuthModule } from '../auth/auth.module';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { UploadAccessGuard } from './upload-access.guard';
import { UPLOADS_CONFIG, loadUploadsConfig, type UploadsConfig } from './uploads.config';
import { UploadsController } from './uploads.controller';
import { UploadsService } from './uploads.service';

/** The upload settings, read from the host's environment. */
@Module({
  providers: [{ provide: UPLOADS_CONFIG, inject: [API_CONFIG], useFactory: (config: ApiConfig) => loadUploadsConfig(config.env) }],
  exports: [UPLOADS_CONFIG],
})
export class UploadsConfigModule {}

/** `POST /api/uploads` and `GET /api/uploads/:id/:name` (see `UploadsService`). */
@Module({
  imports: [
    AuthModule,
    MulterModule.registerAsync({
      imports: [UploadsConfigModule],
      inject: [UPLOADS_CONFIG],
      // Memory storage bounded by the limit: one file, no other fields; multer aborts past `fileSize`.
      useFactory: (config: UploadsConfig) => ({ limits: { fileSize: config.maxBytes, files: 1, fields: 0, parts: 2, headerPairs: 50 } }),
    }),
    UploadsConfigModule,
  ],
  controllers: [UploadsController],
  providers: [UploadsService, UploadAccessGuard],
})
export class UploadsModule {}
