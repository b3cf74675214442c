import { Routes } from '@angular/router';

import { auditGuard, candidateGuard, guestGuard, redirectToHome, staffGuard } from './core/auth/auth.guards';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: redirectToHome },
  {
    path: 'login',
    title: 'Iniciar sesión',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/login/login-page.component').then((m) => m.LoginPageComponent),
  },
  {
    path: 'sin-acceso',
    title: 'Sin acceso',
    loadComponent: () => import('./core/layout/no-access-page/no-access-page.component').then((m) => m.NoAccessPageComponent),
  },
  {
    // Support shell (`SupportLayout` in the spec): soporte, admin, developer.
    path: 'support',
    canActivate: [staffGuard],
    canActivateChild: [staffGuard],
    loadComponent: () => import('./core/layout/support-layout/support-layout.component').then((m) => m.SupportLayoutComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'communication' },
      {
        path: 'communication',
        title: 'Comunicación',
        loadChildren: () => import('./features/support-workspace/support-workspace.routes').then((m) => m.SUPPORT_WORKSPACE_ROUTES),
      },
      {
        path: 'respuestas-rapidas',
        title: 'Respuestas rápidas y etiquetas',
        loadComponent: () =>
          import('./features/support-workspace/quick-replies-and-labels/quick-replies-and-labels-page.component').then(
            (m) => m.QuickRepliesAndLabelsPageComponent,
          ),
      },
      {
        // Supervisors and admin: the audit trail (issue 18).
        path: 'auditoria',
        title: 'Auditoría',
        canActivate: [auditGuard],
        loadChildren: () => import('./features/support-audit/support-audit.routes').then((m) => m.SUPPORT_AUDIT_ROUTES),
      },
      {
        // Supervisors and admin: reports with charts (issue 18).
        path: 'reportes',
        title: 'Reportes',
        canActivate: [auditGuard],
        loadChildren: () => import('./features/support-reports/support-reports.routes').then((m) => m.SUPPORT_REPORTS_ROUTES),
      },
      {
        path: 'perfil',
        title: 'Mi perfil',
        loadComponent: () => import('./features/profile/profile-page.component').then((m) => m.ProfilePageComponent),
      },
      {
        // Admin only: the server answers 403 to anyone else, and the page shows that message.
        path: 'horario',
        title: 'Horario de atención',
        loadComponent: () => import('./features/support-settings/business-hours-page.component').then((m) => m.BusinessHoursPageComponent),
      },
    ],
  },
  {
    // Candidate shell: navbar with the user menu.
    path: '',
    canActivate: [candidateGuard],
    canActivateChild: [candidateGuard],
    loadComponent: () => import('./core/layout/candidate-shell/candidate-shell.component').then((m) => m.CandidateShellComponent),
    children: [
      {
        path: 'inicio',
        title: 'Inicio',
        loadComponent: () => import('./features/candidate-home/candidate-home-page.component').then((m) => m.CandidateHomePageComponent),
      },
      {
        path: 'chat-soporte',
        title: 'Chat con soporte',
        loadChildren: () => import('./features/candidate-chat/candidate-chat.routes').then((m) => m.CANDIDATE_CHAT_ROUTES),
      },
      {
        path: 'perfil',
        title: 'Mi perfil',
        loadComponent: () => import('./features/profile/profile-page.component').then((m) => m.ProfilePageComponent),
      },
    ],
  },
  {
    path: '**',
    title: 'Página no encontrada',
    loadComponent: () => import('./core/layout/not-found-page/not-found-page.component').then((m) => m.NotFoundPageComponent),
  },
];
