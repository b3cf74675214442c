import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';

import { CURRENT_USER_REQUEST_KEY, type RequestWithCurrentUser } from '../auth/current-user.guard';
import { UploadErrors } from './uploads.errors';
import { UPLOADS_CONFIG, type UploadsConfig } from './uploads.config';
import { UploadsService } from './uploads.service';

/** Room for the multipart boundaries and part headers around the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

/**
 * Runs after `@Authenticated()` and before multer reads a byte of the body: only chat roles may upload,
 * a declared `Content-Length` over the limit is refused at once (multer's own `fileSize` limit stops
 * bodies sent without one), and each user has a rate of uploads per minute and per hour, counted in
 * the host's throttler storage (Redis when `REDIS_URL` is set, so it holds across instances).
 */
@Injectable()
export class UploadAccessGuard implements CanActivate {
  constructor(
    private readonly uploads: UploadsService,
    @Inject(UPLOADS_CONFIG) private readonly config: UploadsConfig,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & RequestWithCurrentUser>();
    const user = request[CURRENT_USER_REQUEST_KEY];
    if (!user || !this.uploads.mayUpload(user.role)) throw UploadErrors.forbiddenRole();
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.uploads.maxBytes + MULTIPART_OVERHEAD_BYTES) {
      // Do not read the rest of the body; the response closes the connection.
      request.headers.connection = 'close';
      throw UploadErrors.tooLarge(this.uploads.maxBytes);
    }
    for (const [name, windowMs, limit] of [
      ['uploads-minute', 60_000, this.config.ratePerMinute],
      ['uploads-hour', 60 * 60_000, this.config.ratePerHour],
    ] as const) {
      if (limit <= 0) continue;
      const record = await this.storage.increment(user.id, windowMs, limit, 0, name);
      if (record.isBlocked) {
        request.headers.connection = 'close';
        throw UploadErrors.rateLimited(Math.max(1, record.timeToBlockExpire));
      }
    }
    return true;
  }
}
