import { HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Router } from '@angular/router';

import { AuthService } from '@app/core/auth/auth.service';
import { loginRedirect } from '@app/core/auth/login-redirect';

/**
 * The server closed a realtime connection with `access_revoked` (token expired, account deactivated,
 * role changed). Finds out where the user now stands the same way any page would: an expired token ends
 * the session here; otherwise `GET /api/auth/me` goes through the usual 401 handling (sign-out and the
 * login page) or returns the current role, and a role of another area goes to that area's home ("Sin
 * acceso" for a role outside the chat). Only when nothing changed is the connection resumed.
 */
@Injectable({ providedIn: 'root' })
export class RealtimeAccessRevocation {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  handle(resume: () => void): void {
    if (!this.auth.hasValidSession()) {
      void this.router.navigateByUrl(loginRedirect(this.router, this.router.url));
      return;
    }
    const area = this.auth.area();
    this.auth.refreshUser().subscribe({
      next: () => {
        if (this.auth.area() !== area) void this.router.navigateByUrl(this.auth.homeUrl());
        else resume();
      },
      error: (error: unknown) => {
        // A 401 was handled by `unauthorizedInterceptor` (session ended, login page); anything else is a
        // failure like any other: the connection retries with its back-off.
        if (!(error instanceof HttpErrorResponse && error.status === 401)) resume();
      },
    });
  }
}
