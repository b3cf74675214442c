import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';

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
      // Streamed to disk (`<dir>/<uuid>.part`, renamed once accepted), never held in memory; one file, no
      // other fields; multer aborts past `fileSize` and deletes the partial file.
      useFactory: (config: UploadsConfig) => ({
        storage: diskStorage({ destination: config.dir, filename: (_req, _file, done) => done(null, `${randomUUID()}.part`) }),
        limits: { fileSize: config.maxBytes, files: 1, fields: 0, parts: 2, headerPairs: 50 },
      }),
    }),
    UploadsConfigModule,
  ],
  controllers: [UploadsController],
  providers: [UploadsService, UploadAccessGuard],
})
export class UploadsModule {}
