import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

import { CURRENT_USER_REQUEST_KEY, type RequestWithCurrentUser } from '../auth/current-user.guard';
import { UploadErrors } from './uploads.errors';
import { UploadsService } from './uploads.service';

/** Room for the multipart boundaries and part headers around the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

/**
 * Runs after `@Authenticated()` and before multer reads a byte of the body: only chat roles may upload,
 * and a declared `Content-Length` over the limit is refused at once (multer's own `fileSize` limit
 * stops bodies sent without one).
 */
@Injectable()
export class UploadAccessGuard implements CanActivate {
  constructor(private readonly uploads: UploadsService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & RequestWithCurrentUser>();
    const user = request[CURRENT_USER_REQUEST_KEY];
    if (!user || !this.uploads.mayUpload(user.role)) throw UploadErrors.forbiddenRole();
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.uploads.maxBytes + MULTIPART_OVERHEAD_BYTES) {
      // Do not read the rest of the body; the response closes the connection.
      request.headers.connection = 'close';
      throw UploadErrors.tooLarge(this.uploads.maxBytes);
    }
    return true;
  }
}
