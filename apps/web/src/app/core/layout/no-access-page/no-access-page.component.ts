import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

import { AuthService } from '../../auth/auth.service';
import { roleLabel } from '../../auth/roles';
import { injectLogout } from '../session-actions';

/** Shown to a signed-in user who opened a section their role cannot use. */
@Component({
  selector: 'app-no-access-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    <main class="status-page" aria-labelledby="no-access-title">
      <section class="status-card">
        <mat-icon class="status-icon" svgIcon="block" aria-hidden="true" />
        <h1 id="no-access-title">Sin acceso</h1>
        @if (!auth.isAuthenticated()) {
          <p>Inicia sesión para continuar.</p>
          <div class="actions">
            <a mat-flat-button routerLink="/login">Iniciar sesión</a>
          </div>
        } @else if (auth.area() === 'none') {
          <p>Tu cuenta ({{ role() }}) no tiene acceso al chat de soporte. Si crees que es un error, comunícate con el administrador de la plataforma.</p>
          <div class="actions">
            <button mat-flat-button type="button" (click)="logout()">Cerrar sesión</button>
          </div>
        } @else {
          <p>
            @if (auth.area() === 'candidate') {
              Esta sección es solo para el equipo de soporte.
            } @else {
              No tienes permiso para ver esta sección.
            }
          </p>
          <div class="actions">
            <a mat-flat-button [routerLink]="auth.homeUrl()">Ir a mi inicio</a>
            <button mat-button type="button" (click)="logout()">Cerrar sesión</button>
          </div>
        }
      </section>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NoAccessPageComponent {
  protected readonly auth = inject(AuthService);
  protected readonly role = computed(() => roleLabel(this.auth.user()?.role));
  protected readonly logout = injectLogout();
}
