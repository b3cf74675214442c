import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterOutlet } from '@angular/router';

import { OfflineBannerComponent } from '@app/core/network/offline-banner.component';
import { UnreadBadgeComponent } from '@app/shared/unread-badge/unread-badge.component';
import { UserAvatarComponent } from '@app/shared/user-avatar/user-avatar.component';
import { AuthService } from '../../auth/auth.service';
import { ChatRealtimeService } from '@app/core/realtime/chat-realtime.service';
import { ChatNotificationsService } from '@app/core/notifications/chat-notifications.service';
import { NotificationSettingsMenuComponent } from '@app/core/notifications/notification-settings-menu.component';
import { UnreadCountService } from '../../unread/unread-count.service';
import { injectLogout } from '../session-actions';

/** The candidate's frame: a navbar with the user menu (profile, support chat, sign out). */
@Component({
  selector: 'app-candidate-shell',
  imports: [
    MatButtonModule,
    MatDividerModule,
    MatIconModule,
    MatMenuModule,
    MatToolbarModule,
    OfflineBannerComponent,
    NotificationSettingsMenuComponent,
    RouterLink,
    RouterOutlet,
    UnreadBadgeComponent,
    UserAvatarComponent,
  ],
  templateUrl: './candidate-shell.component.html',
  styleUrl: './candidate-shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CandidateShellComponent {
  private readonly unreadCount = inject(UnreadCountService);

  protected readonly user = inject(AuthService).user;
  protected readonly unread = this.unreadCount.count;
  /** Read after the name by the menu button: "Menú de usuario de <name>, 3 mensajes sin leer". */
  protected readonly unreadSuffix = computed(() => {
    const unread = this.unread();
    return unread > 0 ? `, ${unread} ${unread === 1 ? 'mensaje sin leer' : 'mensajes sin leer'}` : '';
  });
  protected readonly logout = injectLogout();

  constructor() {
    this.unreadCount.connect(inject(DestroyRef));
    inject(ChatRealtimeService).connect(inject(DestroyRef));
    inject(ChatNotificationsService).connect(inject(DestroyRef));
  }
}
