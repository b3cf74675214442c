import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

import { ConnectivityService } from './connectivity.service';

/** A strip under the toolbar while the browser is offline (both shells). */
@Component({
  selector: 'app-offline-banner',
  imports: [MatIconModule],
  template: `
    <div role="status" aria-live="polite">
      @if (!online()) {
        <p class="banner" data-testid="offline-banner">
          <mat-icon svgIcon="cloud-off" aria-hidden="true" />
          <span>Sin conexión. Lo que envíes se mandará al volver la conexión.</span>
        </p>
      }
    </div>
  `,
  styles: `
    .banner {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0;
      padding: 6px 16px;
      font: var(--mat-sys-body-medium);
      background: var(--mat-sys-inverse-surface);
      color: var(--mat-sys-inverse-on-surface);
    }
    mat-icon {
      flex: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OfflineBannerComponent {
  protected readonly online = inject(ConnectivityService).online;
}
