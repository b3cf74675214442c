import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

import { AuthService } from '@app/core/auth/auth.service';
import { UnreadCountService } from '@app/core/unread/unread-count.service';

/** `/inicio`: the candidate's landing page inside the candidate shell. */
@Component({
  selector: 'app-candidate-home-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    <div class="page">
      <h1>Hola, {{ firstName() }}</h1>
      <p class="lead">Bienvenido a tu portal. Desde aquí puedes comunicarte con el equipo de soporte.</p>

      <section class="help-card" aria-labelledby="help-title">
        <mat-icon class="help-icon" svgIcon="forum" aria-hidden="true" />
        <div class="help-text">
          <h2 id="help-title">¿Necesitas ayuda?</h2>
          <p>
            Escríbenos por el chat de soporte y te responderemos lo antes posible.
            @if (unread() > 0) {
              <strong>Tienes {{ unread() === 1 ? '1 mensaje sin leer' : unread() + ' mensajes sin leer' }}.</strong>
            }
          </p>
        </div>
        <a mat-flat-button routerLink="/chat-soporte">Abrir chat con soporte</a>
      </section>
    </div>
  `,
  styles: `
    .page {
      width: min(100%, 960px);
      margin: 0 auto;
      padding: 32px 24px;
      box-sizing: border-box;
    }
    h1 {
      font: var(--mat-sys-headline-medium);
      margin: 0 0 8px;
    }
    .lead {
      color: var(--mat-sys-on-surface-variant);
      margin: 0 0 24px;
    }
    .help-card {
      display: flex;
      align-items: center;
      gap: 20px;
      flex-wrap: wrap;
      padding: 24px;
      border-radius: 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface-container-low);
    }
    .help-icon {
      width: 40px;
      height: 40px;
      color: var(--mat-sys-primary);
    }
    .help-text {
      flex: 1 1 240px;
    }
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 0 0 4px;
    }
    .help-text p {
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CandidateHomePageComponent {
  private readonly user = inject(AuthService).user;

  protected readonly unread = inject(UnreadCountService).count;
  protected readonly firstName = computed(() => this.user()?.full_name.trim().split(/\s+/)[0] ?? '');
}
