import { ChangeDetectionStrategy, Component } from '@angular/core';

/**
 * `/support/communication`: the support team's inbox and conversation pane.
 * PLACEHOLDER: the inbox, conversation pane and composer are built in the next step of issue 3.
 */
@Component({
  selector: 'app-support-communication-page',
  template: `
    <div class="page">
      <h1>Comunicación</h1>
      <p>Aquí verás las conversaciones de los candidatos.</p>
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
export class SupportCommunicationPageComponent {}
