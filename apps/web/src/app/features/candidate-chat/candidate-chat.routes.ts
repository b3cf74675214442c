import { Routes } from '@angular/router';

/** `/chat-soporte` (inside the candidate shell, behind `candidateGuard`). */
export const CANDIDATE_CHAT_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./candidate-chat-page.component').then((m) => m.CandidateChatPageComponent),
  },
];
