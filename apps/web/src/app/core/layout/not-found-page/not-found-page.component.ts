import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    <main class="status-page" aria-labelledby="not-found-title">
      <section class="status-card">
        <mat-icon class="status-icon" svgIcon="error" aria-hidden="true" />
        <h1 id="not-found-title">Página no encontrada</h1>
        <p>La dirección que abriste no existe o cambió.</p>
        <div class="actions">
          <a mat-flat-button routerLink="/">Ir al inicio</a>
        </div>
      </section>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPageComponent {}
