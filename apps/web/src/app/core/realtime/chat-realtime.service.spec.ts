import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, DestroyRef, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { jest } from '@jest/globals';
import { firstValueFrom } from 'rxjs';

import { APP_SETTINGS, DEFAULT_APP_SETTINGS } from '../config/app-settings';
import { UnreadCountService } from '../unread/unread-count.service';
import { PollCadence, SAFETY_POLL_INTERVAL_MS } from '@app/shared/polling/poll-cadence';
import { ChatRealtimeService, EVENT_SOURCE_FACTORY, EventSourceLike } from './chat-realtime.service';
import { RealtimeAccessRevocation } from './realtime-access';
import { MAX_SINCE_ENTRIES, RealtimeEvent } from './realtime-events';

const TICKET_URL = '/api/support/chat/events/ticket';
const CONVERSATION = '11111111-1111-4111-8111-111111111111';

class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  emit(type: string, data?: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) } as MessageEvent);
  }
}

function message(seq: number, sender = 'agent') {
  return {
    id: `m${seq}`,
    seq,
    conversation_id: CONVERSATION,
    sender_user_id: sender,
    client_message_id: `c${seq}`,
    content: `hola ${seq}`,
    attachment: null,
    created_at: '2025-01-01T00:00:00Z',
    edited_at: null,
    message_type: 'text',
    sender: { id: sender, full_name: 'Lucía', role: 'soporte' },
  };
}

describe('ChatRealtimeService', () => {
  let service: ChatRealtimeService;
  let backend: HttpTestingController;
  let scope: EnvironmentInjector;
  let refresh: jest.SpiedFunction<() => void>;
  let intervals: number[];
  /** `resume` callbacks handed to the re-authentication (its own behaviour: realtime-access.spec.ts). */
  let revocations: (() => void)[];

  beforeEach(() => {
    jest.useFakeTimers();
    FakeEventSource.instances = [];
    revocations = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: APP_SETTINGS, useValue: { ...DEFAULT_APP_SETTINGS, pollIntervalMs: 5000 } },
        { provide: EVENT_SOURCE_FACTORY, useValue: (url: string) => new FakeEventSource(url) },
        { provide: RealtimeAccessRevocation, useValue: { handle: (resume: () => void) => revocations.push(resume) } },
      ],
    });
    service = TestBed.inject(ChatRealtimeService);
    backend = TestBed.inject(HttpTestingController);
    refresh = jest.spyOn(TestBed.inject(UnreadCountService), 'refresh').mockImplementation(() => undefined);
    intervals = [];
    TestBed.inject(PollCadence).intervalMs$.subscribe((ms) => intervals.push(ms));
    scope = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
  });

  afterEach(() => {
    if (!scope.destroyed) scope.destroy();
    backend.verify();
    jest.useRealTimers();
  });

  function connect(): FakeEventSource {
    service.connect(scope.get(DestroyRef));
    return answerTicket('t1');
  }

  function answerTicket(ticket: string, since?: Record<string, number>): FakeEventSource {
    const request = backend.expectOne(TICKET_URL);
    expect(request.request.method).toBe('POST');
    if (since) expect(request.request.body).toEqual({ since });
    request.flush({ ticket, expires_in: 30 });
    return FakeEventSource.instances[FakeEventSource.instances.length - 1];
  }

  it('opens one EventSource with a fresh ticket, even with several users in the tab', () => {
    const source = connect();
    service.connect(scope.get(DestroyRef));
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(source.url).toBe('/api/support/chat/events?ticket=t1');
    expect(service.status()).toBe('connecting');
  });

  it('is live after `ready`, and polling slows to the safety interval meanwhile', () => {
    const source = connect();
    expect(intervals).toEqual([5000]);
    source.emit('ready', { conversation_id: null, replayed: 0, resync: false, heartbeat_ms: 25000, retry_ms: 3000 });
    expect(service.status()).toBe('live');
    expect(intervals).toEqual([5000, SAFETY_POLL_INTERVAL_MS]);
  });

  it("delivers events typed, advances the cursor and refreshes the unread badge for others' messages", async () => {
    const source = connect();
    const received = firstValueFrom(service.chatEvents$);
    source.emit('message.created', { conversation_id: CONVERSATION, message: message(7) });
    const event = (await received) as Extract<RealtimeEvent, { name: 'message.created' }>;
    expect(event.name).toBe('message.created');
    expect(event.data.message.seq).toBe(7);
    expect(service.since()).toEqual({ [CONVERSATION]: 7 });
    expect(refresh).toHaveBeenCalled();
  });

  it('on error: closes, falls back to polling, and reconnects after a back-off with a new ticket and `since`', () => {
    const first = connect();
    service.track(CONVERSATION, 4);
    first.emit('ready', { conversation_id: null, replayed: 0, resync: false, heartbeat_ms: 25000, retry_ms: 3000 });
    first.emit('error');
    expect(first.closed).toBe(true);
    expect(service.status()).toBe('down');
    expect(intervals[intervals.length - 1]).toBe(5000);

    backend.expectNone(TICKET_URL);
    jest.advanceTimersByTime(1000);
    const second = answerTicket('t2', { [CONVERSATION]: 4 });
    expect(second).not.toBe(first);
    expect(second.url).toContain('ticket=t2');
    // Events of the closed source are ignored.
    first.emit('message.created', { conversation_id: CONVERSATION, message: message(9) });
    expect(service.since()).toEqual({ [CONVERSATION]: 4 });
  });

  it('backs off longer after each failure, including failed ticket requests', () => {
    connect().emit('error');
    jest.advanceTimersByTime(1000);
    backend.expectOne(TICKET_URL).flush({}, { status: 503, statusText: 'Unavailable' });
    jest.advanceTimersByTime(999);
    backend.expectNone(TICKET_URL);
    jest.advanceTimersByTime(1001);
    answerTicket('t3');
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('`ready` with resync and `resync` ask the pages to refetch and refresh the badge', () => {
    const source = connect();
    const resyncs: (string | null)[] = [];
    service.resync$.subscribe((id) => resyncs.push(id));
    source.emit('ready', { conversation_id: null, replayed: 2, resync: true, heartbeat_ms: 25000, retry_ms: 3000 });
    source.emit('resync', { conversation_id: CONVERSATION, reason: 'too_many_missed' });
    expect(resyncs).toEqual([null, CONVERSATION]);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('closes the stream and stops retrying when the last user is destroyed', () => {
    const source = connect();
    scope.destroy();
    expect(source.closed).toBe(true);
    expect(service.status()).toBe('off');
    jest.advanceTimersByTime(60_000);
    backend.expectNone(TICKET_URL);
  });

  it('access_revoked: closes the stream, re-authenticates instead of retrying, and reconnects at once only if access holds', () => {
    const source = connect();
    const chatEvents: unknown[] = [];
    service.chatEvents$.subscribe((event) => chatEvents.push(event));
    source.emit('ready', { conversation_id: null, replayed: 0, resync: false, heartbeat_ms: 25000, retry_ms: 3000 });
    source.emit('access_revoked', { conversation_id: null, code: 'user_inactive', error: 'Tu cuenta está desactivada.' });
    source.emit('error');

    expect(source.closed).toBe(true);
    expect(service.status()).toBe('down');
    expect(chatEvents).toEqual([]);
    expect(revocations).toHaveLength(1);
    jest.advanceTimersByTime(60_000);
    backend.expectNone(TICKET_URL);

    revocations[0]();
    answerTicket('t2');
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('access_revoked after the last user left: nothing reconnects', () => {
    const source = connect();
    source.emit('access_revoked', { conversation_id: null, code: 'forbidden_role', error: 'Sin acceso' });
    scope.destroy();
    revocations[0]();
    backend.expectNone(TICKET_URL);
  });

  it('sends at most MAX_SINCE_ENTRIES conversations in `since`: the most recently advanced', () => {
    const ids = Array.from({ length: MAX_SINCE_ENTRIES + 5 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    ids.forEach((id, i) => service.track(id, i + 1));
    service.track(ids[0], 1000);
    const since = service.since();
    expect(Object.keys(since)).toHaveLength(MAX_SINCE_ENTRIES);
    expect(since[ids[0]]).toBe(1000);
    expect(since[ids[1]]).toBeUndefined();
    expect(since[ids[ids.length - 1]]).toBe(ids.length);
  });
});
