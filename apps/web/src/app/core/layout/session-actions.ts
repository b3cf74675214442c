import { inject } from '@angular/core';
import { Router } from '@angular/router';

import { ComposerDrafts } from '@app/shared/chat/composer-drafts';
import { AuthService } from '../auth/auth.service';

/** "Cerrar sesión" for any shell or page: ends the session and shows the sign-in page. */
export function injectLogout(): () => void {
  const auth = inject(AuthService);
  const router = inject(Router);
  const drafts = inject(ComposerDrafts);
  return () => {
    drafts.clear();
    auth.logout();
    void router.navigateByUrl('/login');
  };
}
