import { computed, DOCUMENT, inject, Injectable, signal } from '@angular/core';

/** `localStorage` key of the notification preferences of this browser. */
export const NOTIFICATION_SETTINGS_KEY = 'support-chat.notifications';

export interface NotificationPreferences {
  /** Unread count in the tab title and on the favicon. */
  readonly tabBadge: boolean;
  /** A short chime when a message arrives while the tab is in the background. */
  readonly sound: boolean;
  /** Desktop notifications (only once the browser's permission is granted). */
  readonly desktop: boolean;
}

export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = { tabBadge: true, sound: false, desktop: false };

export type DesktopPermission = NotificationPermission | 'unsupported';

/**
 * The user's notification preferences, kept in `localStorage` (per browser, not per account: they
 * describe this device). Desktop notifications need the browser's permission, asked only when the
 * user turns them on (`enableDesktop()`, from a click), never on load.
 */
@Injectable({ providedIn: 'root' })
export class NotificationSettingsService {
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly state = signal<NotificationPreferences>(this.read());
  private readonly permissionState = signal<DesktopPermission>(this.currentPermission());

  readonly preferences = this.state.asReadonly();
  readonly tabBadge = computed(() => this.state().tabBadge);
  readonly sound = computed(() => this.state().sound);
  /** The browser's answer about desktop notifications ('unsupported' without the Notification API). */
  readonly desktopPermission = this.permissionState.asReadonly();
  /** Desktop notifications wanted and allowed. */
  readonly desktop = computed(() => this.state().desktop && this.permissionState() === 'granted');

  setTabBadge(on: boolean): void {
    this.update({ tabBadge: on });
  }

  setSound(on: boolean): void {
    this.update({ sound: on });
  }

  /** Turns desktop notifications off. */
  disableDesktop(): void {
    this.update({ desktop: false });
  }

  /** Turns desktop notifications on, asking the browser's permission first if it was never asked. */
  async enableDesktop(): Promise<boolean> {
    const api = this.notificationApi();
    if (!api) return false;
    let permission = api.permission;
    if (permission === 'default') {
      try {
        permission = await api.requestPermission();
      } catch {
        permission = api.permission;
      }
    }
    this.permissionState.set(permission);
    this.update({ desktop: permission === 'granted' });
    return permission === 'granted';
  }

  /** Re-reads the browser's permission (it can change in the browser's site settings). */
  refreshPermission(): void {
    this.permissionState.set(this.currentPermission());
  }

  private update(changes: Partial<NotificationPreferences>): void {
    this.state.update((preferences) => ({ ...preferences, ...changes }));
    try {
      this.window?.localStorage.setItem(NOTIFICATION_SETTINGS_KEY, JSON.stringify(this.state()));
    } catch {
      // Storage full or blocked: the preference still holds for this page.
    }
  }

  private read(): NotificationPreferences {
    try {
      const stored: unknown = JSON.parse(this.window?.localStorage.getItem(NOTIFICATION_SETTINGS_KEY) ?? 'null');
      if (!stored || typeof stored !== 'object') return DEFAULT_NOTIFICATION_PREFERENCES;
      const value = stored as Record<string, unknown>;
      const flag = (key: keyof NotificationPreferences) => (typeof value[key] === 'boolean' ? value[key] : DEFAULT_NOTIFICATION_PREFERENCES[key]);
      return { tabBadge: flag('tabBadge'), sound: flag('sound'), desktop: flag('desktop') };
    } catch {
      return DEFAULT_NOTIFICATION_PREFERENCES;
    }
  }

  private notificationApi(): typeof Notification | null {
    return (this.window as (Window & { Notification?: typeof Notification }) | null)?.Notification ?? null;
  }

  private currentPermission(): DesktopPermission {
    return this.notificationApi()?.permission ?? 'unsupported';
  }
}
