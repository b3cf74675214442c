import { Routes } from '@angular/router';

/** `/support/reportes` (inside `SupportLayoutComponent`, behind `staffGuard` and `auditGuard`; the server decides with `reports_forbidden`). */
export const SUPPORT_REPORTS_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./reports-page.component').then((m) => m.ReportsPageComponent),
  },
];
