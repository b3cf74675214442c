import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';

import { AuthService } from '@app/core/auth/auth.service';
import { roleLabel } from '@app/core/auth/roles';
import { apiErrorMessage } from '@app/core/http/api-error';
import { UserAvatarComponent } from '@app/shared/user-avatar/user-avatar.component';
import { ChatPreferencesStore } from './chat-preferences.store';

/**
 * "Mi perfil": the signed-in user's data, refreshed from `GET /api/auth/me` on open; for candidates,
 * the chat's e-mail preference (`GET/PUT /api/support/chat/me/preferences`).
 */
@Component({
  selector: 'app-profile-page',
  imports: [MatSlideToggleModule, UserAvatarComponent],
  providers: [ChatPreferencesStore],
  template: `
    <div class="page">
      <h1>Mi perfil</h1>
      @if (loadError(); as message) {
        <p class="load-error" role="alert">{{ message }}</p>
      }
      @if (user(); as user) {
        <section class="profile-card" aria-label="Datos de la cuenta">
          <app-user-avatar class="profile-avatar" [name]="user.full_name" />
          <dl>
            <dt>Nombre</dt>
            <dd>{{ user.full_name }}</dd>
            <dt>Usuario</dt>
            <dd>{{ user.username }}</dd>
            @if (user.email) {
              <dt>Correo electrónico</dt>
              <dd>{{ user.email }}</dd>
            }
            <dt>Rol</dt>
            <dd>{{ roleLabel(user.role) }}</dd>
          </dl>
        </section>
      }
      @if (isCandidate()) {
        <section class="preferences-card" aria-labelledby="notifications-heading">
          <h2 id="notifications-heading">Avisos por correo</h2>
          @if (preferences.emailWhenAway() !== null) {
            <mat-slide-toggle
              data-testid="email-when-away"
              [checked]="preferences.emailWhenAway() === true"
              [disabled]="preferences.saving()"
              (change)="preferences.setEmailWhenAway($event.checked)"
            >
              Avisarme por correo cuando soporte me responda y no tenga el chat abierto
            </mat-slide-toggle>
            <p class="hint">Te enviamos un solo correo por conversación hasta que leas la respuesta.</p>
          } @else if (preferences.loading()) {
            <p class="hint">Cargando tus preferencias…</p>
          }
          @if (preferences.error(); as message) {
            <p class="load-error" role="alert" data-testid="preferences-error">{{ message }}</p>
          }
        </section>
      }
    </div>
  `,
  styles: `
    .page {
      width: min(100%, 720px);
      margin: 0 auto;
      padding: 32px 24px;
      box-sizing: border-box;
    }
    h1 {
      font: var(--mat-sys-headline-medium);
      margin: 0 0 24px;
    }
    .profile-card {
      display: flex;
      gap: 24px;
      align-items: flex-start;
      padding: 24px;
      border-radius: 16px;
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .profile-avatar {
      width: 56px;
      height: 56px;
      font: var(--mat-sys-title-large);
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 8px 24px;
      margin: 0;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .load-error {
      color: var(--mat-sys-error);
    }
    .preferences-card {
      margin-top: 24px;
      padding: 24px;
      border-radius: 16px;
      border: 1px solid var(--mat-sys-outline-variant);
    }
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 0 0 16px;
    }
    .hint {
      color: var(--mat-sys-on-surface-variant);
      margin: 8px 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfilePageComponent {
  private readonly auth = inject(AuthService);

  protected readonly user = this.auth.user;
  protected readonly roleLabel = roleLabel;
  protected readonly loadError = signal<string | null>(null);
  protected readonly preferences = inject(ChatPreferencesStore);
  /** Only candidates receive the away e-mail. */
  protected readonly isCandidate = computed(() => this.auth.area() === 'candidate');

  constructor() {
    if (this.auth.area() === 'candidate') this.preferences.load();
    this.auth
      .refreshUser()
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe({
        error: (error: unknown) => this.loadError.set(apiErrorMessage(error, 'No se pudieron actualizar tus datos.')),
      });
  }
}
