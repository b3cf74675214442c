import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, DestroyRef, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { provideRouter, Router } from '@angular/router';
import { jest } from '@jest/globals';

import type { MessageDto } from '@app/api/models';
import { APP_SETTINGS, DEFAULT_APP_SETTINGS } from '@app/core/config/app-settings';
import { ChatRealtimeService, EVENT_SOURCE_FACTORY, EventSourceLike } from '@app/core/realtime/chat-realtime.service';
import { UnreadCountService } from '@app/core/unread/unread-count.service';
import { CONVERSATION_A, message } from '@testing/chat-fixtures';
import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, storeSession } from '@testing/session-fixtures';
import { ChatNotificationsService } from './chat-notifications.service';
import { FaviconBadgeService } from './favicon-badge.service';
import { NOTIFICATION_SETTINGS_KEY, NotificationSettingsService } from './notification-settings.service';
import { NotificationSoundService } from './notification-sound.service';
import { TabTitleService } from './tab-title.service';

const TICKET_URL = '/api/support/chat/events/ticket';
const UNREAD_URL = '/api/support/chat/unread-count';

class FakeEventSource implements EventSourceLike {
  static last: FakeEventSource | null = null;
  private readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    // Nothing to release.
  }
  emit(type: string, data: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) } as MessageEvent);
  }
}

/** Records what the browser's Notification API was asked to show (jsdom has none). */
class RecordingNotification {
  static permission: NotificationPermission = 'granted';
  static shown: { title: string; options?: NotificationOptions }[] = [];
  static instances: RecordingNotification[] = [];
  closed = false;
  static requestPermission = jest.fn(async () => RecordingNotification.permission);
  onclick: (() => void) | null = null;
  constructor(title: string, options?: NotificationOptions) {
    RecordingNotification.shown.push({ title, options });
    RecordingNotification.instances.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

describe('ChatNotificationsService', () => {
  let backend: HttpTestingController;
  let scope: EnvironmentInjector;
  let favicons: number[];
  let chimes: number;
  let visibility: DocumentVisibilityState;
  let focused: boolean;

  beforeEach(() => {
    jest.useFakeTimers();
    localStorage.clear();
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    favicons = [];
    chimes = 0;
    visibility = 'visible';
    focused = true;
    RecordingNotification.shown = [];
    RecordingNotification.instances = [];
    RecordingNotification.permission = 'granted';
    RecordingNotification.requestPermission.mockClear();
    Object.defineProperty(window, 'Notification', { configurable: true, value: RecordingNotification });
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    jest.spyOn(document, 'hasFocus').mockImplementation(() => focused);
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([{ path: 'chat-soporte', children: [] }]),
        { provide: APP_SETTINGS, useValue: { ...DEFAULT_APP_SETTINGS, pollIntervalMs: 60_000 } },
        { provide: EVENT_SOURCE_FACTORY, useValue: (url: string) => new FakeEventSource(url) },
        // Canvas and Web Audio do not exist in jsdom: the browser test covers the drawing and the sound.
        { provide: FaviconBadgeService, useValue: { show: (count: number) => favicons.push(count) } },
        { provide: NotificationSoundService, useValue: { play: () => chimes++ } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    scope = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
    TestBed.inject(TabTitleService).setBase('Chat con soporte · Soporte al candidato');
  });

  afterEach(() => {
    if (!scope.destroyed) scope.destroy();
    jest.restoreAllMocks();
    jest.useRealTimers();
    delete (window as { Notification?: unknown }).Notification;
  });

  async function connect(): Promise<FakeEventSource> {
    const destroyRef = scope.get(DestroyRef);
    TestBed.inject(UnreadCountService).connect(destroyRef);
    TestBed.inject(ChatRealtimeService).connect(destroyRef);
    TestBed.inject(ChatNotificationsService).connect(destroyRef);
    backend.expectOne(TICKET_URL).flush({ ticket: 't1', expires_in: 30 });
    jest.advanceTimersByTime(0);
    unread(0);
    return FakeEventSource.last!;
  }

  /** Answers the pending unread-count request(s) with `count`. */
  function unread(count: number): void {
    for (const request of backend.match(UNREAD_URL)) request.flush({ unread_count: count });
    TestBed.tick();
  }

  function arrive(source: FakeEventSource, changes: Partial<MessageDto> = {}): void {
    const created = message(CONVERSATION_A, 2, changes); // even seq: from the support agent
    source.emit('message.created', { conversation_id: CONVERSATION_A, message: created });
  }

  const title = () => TestBed.inject(Title).getTitle();

  it('puts the unread count in the tab title and on the favicon, and takes it away at zero', async () => {
    const source = await connect();
    expect(title()).toBe('Chat con soporte · Soporte al candidato');
    arrive(source);
    unread(2);
    expect(title()).toBe('(2) Chat con soporte · Soporte al candidato');
    expect(favicons[favicons.length - 1]).toBe(2);
    // Back in the tab, the conversation is marked read and the count refreshed.
    TestBed.inject(UnreadCountService).refresh();
    unread(0);
    expect(title()).toBe('Chat con soporte · Soporte al candidato');
    expect(favicons[favicons.length - 1]).toBe(0);
  });

  it('while the tab is hidden, chimes and shows a desktop notification for the other side’s message', async () => {
    const settings = TestBed.inject(NotificationSettingsService);
    settings.setSound(true);
    await settings.enableDesktop();
    const source = await connect();
    visibility = 'hidden';
    arrive(source, { content: '¿Puedes enviarme tu folio?' });
    expect(chimes).toBe(1);
    expect(RecordingNotification.shown).toEqual([
      {
        title: 'Nuevo mensaje de Sofía Ramírez',
        options: expect.objectContaining({ body: '¿Puedes enviarme tu folio?', tag: `support-chat-${CONVERSATION_A}` }),
      },
    ]);
    // The same message again (a replay after reconnecting) does not notify twice.
    arrive(source, { content: '¿Puedes enviarme tu folio?' });
    expect(RecordingNotification.shown).toHaveLength(1);
  });

  it('clicking a desktop notification opens that conversation and closes the notification', async () => {
    await TestBed.inject(NotificationSettingsService).enableDesktop();
    const source = await connect();
    visibility = 'hidden';
    arrive(source);
    const [shown] = RecordingNotification.instances;
    shown.onclick!();
    await jest.advanceTimersByTimeAsync(0);
    expect(TestBed.inject(Router).url).toBe(`/chat-soporte?conversacion=${CONVERSATION_A}`);
    expect(shown.closed).toBe(true);
  });

  it('a visible window without focus counts as away too', async () => {
    TestBed.inject(NotificationSettingsService).setSound(true);
    const source = await connect();
    focused = false;
    arrive(source);
    expect(chimes).toBe(1);
  });

  it('never notifies for one’s own messages (from any tab), system entries, or while the user looks at the tab', async () => {
    const settings = TestBed.inject(NotificationSettingsService);
    settings.setSound(true);
    await settings.enableDesktop();
    const source = await connect();
    arrive(source, { id: 'visible' });
    visibility = 'hidden';
    arrive(source, { id: 'own', sender_user_id: CANDIDATE.id, sender: { id: CANDIDATE.id, full_name: CANDIDATE.full_name, role: 'candidato' } });
    arrive(source, { id: 'system', message_type: 'system', content: 'Sofía marcó la conversación como resuelta.' });
    expect(chimes).toBe(0);
    expect(RecordingNotification.shown).toEqual([]);
  });

  it('each kind can be turned off, and the choice survives a reload (localStorage)', async () => {
    const settings = TestBed.inject(NotificationSettingsService);
    settings.setTabBadge(false);
    settings.setSound(false);
    settings.disableDesktop();
    const source = await connect();
    visibility = 'hidden';
    arrive(source);
    unread(3);
    expect(title()).toBe('Chat con soporte · Soporte al candidato');
    expect(chimes).toBe(0);
    expect(RecordingNotification.shown).toEqual([]);
    expect(JSON.parse(localStorage.getItem(NOTIFICATION_SETTINGS_KEY)!)).toEqual({ tabBadge: false, sound: false, desktop: false });
  });

  it('reads the stored preferences on start (ignoring anything malformed)', () => {
    localStorage.setItem(NOTIFICATION_SETTINGS_KEY, JSON.stringify({ tabBadge: false, sound: true, desktop: 'yes' }));
    const settings = TestBed.inject(NotificationSettingsService);
    expect(settings.preferences()).toEqual({ tabBadge: false, sound: true, desktop: false });
  });

  it('asks the browser’s permission only when desktop notifications are turned on, and never on start', async () => {
    RecordingNotification.permission = 'default';
    const source = await connect();
    const settings = TestBed.inject(NotificationSettingsService);
    expect(RecordingNotification.requestPermission).not.toHaveBeenCalled();
    visibility = 'hidden';
    arrive(source, { id: 'before-opt-in' });
    expect(RecordingNotification.shown).toEqual([]);

    RecordingNotification.requestPermission.mockImplementationOnce(async () => 'denied');
    await expect(settings.enableDesktop()).resolves.toBe(false);
    expect(RecordingNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(settings.desktop()).toBe(false);
    arrive(source, { id: 'after-denial' });
    expect(RecordingNotification.shown).toEqual([]);
  });
});
