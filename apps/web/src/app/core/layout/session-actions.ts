import { inject } from '@angular/core';
import { Router } from '@angular/router';

import { AuthService } from '../auth/auth.service';

/** "Cerrar sesión" for any shell or page: ends the session and shows the sign-in page. */
export function injectLogout(): () => void {
  const auth = inject(AuthService);
  const router = inject(Router);
  return () => {
    auth.logout();
    void router.navigateByUrl('/login');
  };
}
