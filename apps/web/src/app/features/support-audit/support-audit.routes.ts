import { Routes } from '@angular/router';

/** `/support/auditoria` (inside `SupportLayoutComponent`, behind `staffGuard` and `auditGuard`). */
export const SUPPORT_AUDIT_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./audit-page.component').then((m) => m.AuditPageComponent),
  },
];
