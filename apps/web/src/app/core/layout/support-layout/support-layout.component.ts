import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';

import { OfflineBannerComponent } from '@app/core/network/offline-banner.component';
import { KeyboardShortcutsDialogComponent } from '@app/shared/keyboard-shortcuts/keyboard-shortcuts-dialog.component';
import { UnreadBadgeComponent } from '@app/shared/unread-badge/unread-badge.component';
import { UserAvatarComponent } from '@app/shared/user-avatar/user-avatar.component';
import { AuthService } from '../../auth/auth.service';
import { roleLabel } from '../../auth/roles';
import { ChatRealtimeService } from '@app/core/realtime/chat-realtime.service';
import { ChatNotificationsService } from '@app/core/notifications/chat-notifications.service';
import { NotificationSettingsMenuComponent } from '@app/core/notifications/notification-settings-menu.component';
import { UnreadCountService } from '../../unread/unread-count.service';
import { injectLogout } from '../session-actions';

/** Below this width the side navigation becomes a drawer opened from the toolbar. */
const NARROW_QUERY = '(max-width: 959.98px)';

/**
 * The support shell (`SupportLayout` in the spec) for soporte, admin and developer:
 * a toolbar with the user menu and a side navigation with "Comunicación".
 */
@Component({
  selector: 'app-support-layout',
  imports: [
    MatButtonModule,
    MatDividerModule,
    MatIconModule,
    MatListModule,
    MatMenuModule,
    MatSidenavModule,
    MatToolbarModule,
    OfflineBannerComponent,
    NotificationSettingsMenuComponent,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    UnreadBadgeComponent,
    UserAvatarComponent,
  ],
  templateUrl: './support-layout.component.html',
  styleUrl: './support-layout.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SupportLayoutComponent {
  private readonly unreadCount = inject(UnreadCountService);

  protected readonly user = inject(AuthService).user;
  protected readonly canAudit = inject(AuthService).canAudit;
  protected readonly readOnly = inject(AuthService).readOnly;
  protected readonly unread = this.unreadCount.count;
  protected readonly roleLabel = roleLabel;
  protected readonly navToggleLabel = computed(() => {
    const unread = this.unread();
    if (unread === 0) return 'Abrir navegación';
    return `Abrir navegación, ${unread} ${unread === 1 ? 'mensaje sin leer' : 'mensajes sin leer'}`;
  });
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(NARROW_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  /** Only used on narrow screens; on wide screens the navigation is always shown. */
  protected readonly drawerOpen = signal(false);
  protected readonly logout = injectLogout();
  private readonly dialog = inject(MatDialog);

  constructor() {
    this.unreadCount.connect(inject(DestroyRef));
    inject(ChatRealtimeService).connect(inject(DestroyRef));
    inject(ChatNotificationsService).connect(inject(DestroyRef));
  }

  protected openShortcuts(): void {
    this.dialog.open(KeyboardShortcutsDialogComponent, { autoFocus: 'dialog' });
  }

  /** Tracks the drawer only on narrow screens, so widening and narrowing again starts it closed. */
  protected onDrawerOpenedChange(open: boolean): void {
    if (this.narrow()) this.drawerOpen.set(open);
  }

  protected closeDrawerOnNarrow(): void {
    if (this.narrow()) this.drawerOpen.set(false);
  }
}
