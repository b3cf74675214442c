import { Routes } from '@angular/router';

/** `/support/communication` (inside `SupportLayoutComponent`, behind `staffGuard`). */
export const SUPPORT_WORKSPACE_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./support-communication-page.component').then((m) => m.SupportCommunicationPageComponent),
  },
];
