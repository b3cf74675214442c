import { DestroyRef, DOCUMENT, effect, inject, Injectable, Injector } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import type { StaffNotification } from '@support-chat/chat-contract';

import type { MessageDto } from '@app/api/models';
import { AuthService } from '@app/core/auth/auth.service';
import { AREA_HOME } from '@app/core/auth/roles';
import { ChatRealtimeService } from '@app/core/realtime/chat-realtime.service';
import { UnreadCountService } from '@app/core/unread/unread-count.service';
import { FaviconBadgeService } from './favicon-badge.service';
import { NotificationSettingsService } from './notification-settings.service';
import { NotificationSoundService } from './notification-sound.service';
import { TabTitleService } from './tab-title.service';

/** Longest text of a desktop notification's body. */
const BODY_MAX_CHARS = 140;
/** Ids of messages already notified, so a replay after a reconnect does not notify twice. */
const REMEMBERED_IDS = 200;

/** The notice for each reason of a `staff.notified` event. */
const STAFF_NOTICE: Record<StaffNotification['reason'], (by: string) => string> = {
  mention: (by) => `${by} te mencionó en una nota interna`,
  transfer: (by) => `${by} te transfirió una conversación`,
  escalation: (by) => `${by} turnó una conversación a coordinación`,
};

/** Where each role reads a conversation (the `conversacion` query parameter opens it). */
const CHAT_PAGE = { candidate: '/chat-soporte', staff: '/support/communication', supervisor: '/support/communication' } as const;

/**
 * Tells the signed-in user that someone wrote while they look elsewhere:
 * - the unread total in the tab title ("(2) Chat con soporte · ...") and as a badge on the favicon,
 *   kept in step with `UnreadCountService` (the realtime service refreshes it on every message from
 *   someone else, also in a hidden tab, where polling pauses);
 * - while the tab is hidden or the window has no focus, a short chime and a desktop notification
 *   (each only if turned on in the settings; desktop ones only after the user granted permission).
 * Messages written by the user (in this tab or any other) and `system` entries never notify.
 * A shell calls `connect()` once.
 */
@Injectable({ providedIn: 'root' })
export class ChatNotificationsService {
  private readonly document = inject(DOCUMENT);
  private readonly injector = inject(Injector);
  private readonly router = inject(Router);
  private readonly auth = inject(AuthService);
  private readonly realtime = inject(ChatRealtimeService);
  private readonly unreadCount = inject(UnreadCountService);
  private readonly settings = inject(NotificationSettingsService);
  private readonly tabTitle = inject(TabTitleService);
  private readonly favicon = inject(FaviconBadgeService);
  private readonly sound = inject(NotificationSoundService);
  private readonly notified: string[] = [];
  private readonly snackBar = inject(MatSnackBar);

  connect(destroyRef: DestroyRef): void {
    const badge = effect(
      () => {
        const count = this.settings.tabBadge() ? this.unreadCount.count() : 0;
        this.tabTitle.setCount(count);
        this.favicon.show(count);
      },
      { injector: this.injector },
    );
    destroyRef.onDestroy(() => {
      badge.destroy();
      this.tabTitle.setCount(0);
      this.favicon.show(0);
    });
    this.realtime.chatEvents$.pipe(takeUntilDestroyed(destroyRef)).subscribe((event) => {
      if (event.name === 'message.created') this.onMessage(event.data.message);
      if (event.name === 'staff.notified') this.onStaffNotification(event.data);
    });
  }

  /** True while the user is not looking at this tab (another tab, another window, minimised). */
  isAway(): boolean {
    return this.document.visibilityState === 'hidden' || !this.document.hasFocus();
  }

  private onMessage(message: MessageDto): void {
    const me = this.auth.user()?.id;
    // Internal notes notify only the colleagues they mention (`staff.notified`).
    if (!me || message.sender_user_id === me || message.message_type === 'system' || message.message_type === 'note') return;
    if (this.notified.includes(message.id)) return;
    this.notified.push(message.id);
    if (this.notified.length > REMEMBERED_IDS) this.notified.shift();
    if (!this.isAway()) return;
    if (this.settings.sound()) this.sound.play();
    if (this.settings.desktop()) this.showDesktop(message);
  }

  /**
   * A colleague mentioned me in a note, or transferred or escalated a conversation to me: always a
   * visible notice in the page (with "Abrir"), plus the chime and a desktop notification while away.
   */
  private onStaffNotification(notification: StaffNotification): void {
    const text = STAFF_NOTICE[notification.reason](notification.by.full_name);
    this.snackBar
      .open(text, 'Abrir', { duration: 10_000, politeness: 'assertive' })
      .onAction()
      .subscribe(() => void this.openConversation(notification.conversation_id));
    if (!this.isAway()) return;
    if (this.settings.sound()) this.sound.play();
    if (this.settings.desktop()) {
      const NotificationClass = (this.document.defaultView as (Window & { Notification?: typeof Notification }) | null)?.Notification;
      try {
        if (NotificationClass)
          new NotificationClass(text, { body: notification.note?.slice(0, BODY_MAX_CHARS) ?? '', tag: `support-chat-staff-${notification.conversation_id}` });
      } catch {
        // Some browsers only allow notifications from a service worker.
      }
    }
  }

  private showDesktop(message: MessageDto): void {
    const NotificationClass = (this.document.defaultView as (Window & { Notification?: typeof Notification }) | null)?.Notification;
    if (!NotificationClass) return;
    const text = message.content?.trim() || (message.attachment ? `Archivo: ${message.attachment.name}` : 'Nuevo mensaje');
    try {
      const notification = new NotificationClass(`Nuevo mensaje de ${message.sender.full_name}`, {
        body: text.length > BODY_MAX_CHARS ? `${text.slice(0, BODY_MAX_CHARS - 1)}…` : text,
        // One notification per conversation: a newer message replaces the older one.
        tag: `support-chat-${message.conversation_id}`,
        icon: new URL('favicon.svg', this.document.baseURI).href,
      });
      notification.onclick = () => {
        this.document.defaultView?.focus();
        notification.close();
        void this.openConversation(message.conversation_id);
      };
    } catch {
      // Some browsers (Android Chrome) only allow notifications from a service worker.
    }
  }

  private openConversation(conversationId: string): Promise<boolean> {
    const area = this.auth.area();
    if (area === 'none') return this.router.navigateByUrl(AREA_HOME.none);
    return this.router.navigate([CHAT_PAGE[area]], { queryParams: { conversacion: conversationId } });
  }
}
