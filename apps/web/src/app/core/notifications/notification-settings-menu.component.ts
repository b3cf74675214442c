import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';

import { NotificationSettingsService } from './notification-settings.service';
import { NotificationSoundService } from './notification-sound.service';

/**
 * The toolbar's bell: turns each kind of notice on or off (tab count and favicon, sound, desktop
 * notifications). Turning desktop notifications on is the one moment the browser's permission is asked.
 */
@Component({
  selector: 'app-notification-settings-menu',
  imports: [MatButtonModule, MatIconModule, MatMenuModule],
  template: `
    <button
      mat-icon-button
      type="button"
      aria-label="Notificaciones"
      title="Notificaciones"
      data-testid="notification-settings"
      [matMenuTriggerFor]="menu"
      (menuOpened)="settings.refreshPermission()"
    >
      <mat-icon svgIcon="notifications" aria-hidden="true" />
    </button>
    <mat-menu #menu="matMenu" xPosition="before" class="notification-settings-menu">
      <p class="menu-title" aria-hidden="true">Avisos de mensajes nuevos</p>
      <button
        mat-menu-item
        type="button"
        role="menuitemcheckbox"
        data-testid="notify-tab-badge"
        [attr.aria-checked]="settings.tabBadge()"
        (click)="settings.setTabBadge(!settings.tabBadge())"
      >
        <mat-icon [svgIcon]="settings.tabBadge() ? 'check' : ''" aria-hidden="true" />
        <span>Contador en la pestaña</span>
      </button>
      <button mat-menu-item type="button" role="menuitemcheckbox" data-testid="notify-sound" [attr.aria-checked]="settings.sound()" (click)="toggleSound()">
        <mat-icon [svgIcon]="settings.sound() ? 'check' : ''" aria-hidden="true" />
        <span>Sonido</span>
      </button>
      <button
        mat-menu-item
        type="button"
        role="menuitemcheckbox"
        data-testid="notify-desktop"
        [attr.aria-checked]="settings.desktop()"
        [disabled]="settings.desktopPermission() === 'denied' || settings.desktopPermission() === 'unsupported'"
        (click)="toggleDesktop()"
      >
        <mat-icon [svgIcon]="settings.desktop() ? 'check' : ''" aria-hidden="true" />
        <span>{{ desktopLabel() }}</span>
      </button>
    </mat-menu>
  `,
  styles: `
    .menu-title {
      margin: 8px 16px;
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationSettingsMenuComponent {
  protected readonly settings = inject(NotificationSettingsService);
  private readonly sound = inject(NotificationSoundService);

  protected desktopLabel(): string {
    switch (this.settings.desktopPermission()) {
      case 'denied':
        return 'Notificaciones de escritorio (bloqueadas en el navegador)';
      case 'unsupported':
        return 'Notificaciones de escritorio (no disponibles)';
      default:
        return 'Notificaciones de escritorio';
    }
  }

  protected toggleSound(): void {
    const on = !this.settings.sound();
    this.settings.setSound(on);
    // A sample, and the click lets the browser play sounds from this page later.
    if (on) this.sound.play();
  }

  protected toggleDesktop(): void {
    if (this.settings.desktop()) this.settings.disableDesktop();
    else void this.settings.enableDesktop();
  }
}
