import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { AuthService } from '@app/core/auth/auth.service';
import { roleLabel } from '@app/core/auth/roles';
import { apiErrorMessage } from '@app/core/http/api-error';
import { UserAvatarComponent } from '@app/shared/user-avatar/user-avatar.component';

/** "Mi perfil": the signed-in user's data, refreshed from `GET /api/auth/me` on open. */
@Component({
  selector: 'app-profile-page',
  imports: [UserAvatarComponent],
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
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfilePageComponent {
  private readonly auth = inject(AuthService);

  protected readonly user = this.auth.user;
  protected readonly roleLabel = roleLabel;
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    this.auth
      .refreshUser()
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe({
        error: (error: unknown) => this.loadError.set(apiErrorMessage(error, 'No se pudieron actualizar tus datos.')),
      });
  }
}
