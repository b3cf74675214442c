import { ChangeDetectionStrategy, Component } from '@angular/core';

/**
 * `/chat-soporte`: the candidate's conversations with support.
 * PLACEHOLDER: the conversation list, history and composer are built in the next step of issue 3.
 */
@Component({
  selector: 'app-candidate-chat-page',
  template: `
    <div class="page">
      <h1>Chat con soporte</h1>
      <p>Aquí verás tus conversaciones con el equipo de soporte.</p>
    </div>
  `,
  styles: `
    .page {
      padding: 32px 24px;
    }
    h1 {
      font: var(--mat-sys-headline-medium);
      margin: 0 0 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CandidateChatPageComponent {}
