import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal, WritableSignal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { jest } from '@jest/globals';

import type { SessionUser } from '@app/core/auth/auth.models';
import { AuthService } from '@app/core/auth/auth.service';
import { CANDIDATE, SUPPORT_AGENT } from '@testing/session-fixtures';
import { ChatPresenceService, SOCKET_FACTORY, TYPING_IDLE_MS, TYPING_THROTTLE_MS } from './chat-presence.service';
import { RealtimeAccessRevocation } from './realtime-access';
import { PresenceEntry, RealtimeEventMap } from './realtime-events';

const TICKET_URL = '/api/support/chat/events/ticket';
const CONVERSATION = '11111111-1111-4111-8111-111111111111';
const OTHER_CONVERSATION = '22222222-2222-4222-8222-222222222222';
/** `TYPING_EXPIRY_MS` of chat-presence.service.ts (not exported): an indicator not refreshed for this long disappears. */
const TYPING_EXPIRY_MS = 6_000;

type Ack = (reply: unknown) => void;
type AuthCallback = (cb: (data: object) => void) => void;

/** A Socket.IO client socket as the service uses it: records what is sent; the test plays the server. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  readonly sent: { event: string; data: unknown }[] = [];
  private readonly handlers = new Map<string, ((data: unknown) => void)[]>();
  private readonly pendingAcks: { event: string; data: unknown; ack: Ack }[] = [];
  disconnected = false;

  constructor(readonly auth: AuthCallback) {
    FakeSocket.instances.push(this);
  }

  on(event: string, handler: (data: unknown) => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  emit(event: string, data: unknown, ack?: Ack): this {
    this.sent.push({ event, data });
    if (ack) this.pendingAcks.push({ event, data, ack });
    return this;
  }

  disconnect(): this {
    this.disconnected = true;
    return this;
  }

  connects = 0;
  connect(): this {
    this.connects++;
    return this;
  }

  /** The server sends `event` to this socket. */
  receive<K extends keyof RealtimeEventMap>(event: K, data: RealtimeEventMap[K]): void;
  receive(event: 'connect'): void;
  receive(event: string, data?: unknown): void {
    for (const handler of this.handlers.get(event) ?? []) handler(data);
  }

  /** The server answers the oldest unanswered acknowledged `event`. */
  answer(event: string, reply: unknown): void {
    const index = this.pendingAcks.findIndex((pending) => pending.event === event);
    if (index < 0) throw new Error(`No unanswered "${event}" (sent: ${this.sent.map((s) => s.event).join(', ')})`);
    const [pending] = this.pendingAcks.splice(index, 1);
    pending.ack(reply);
  }

  /** What was sent for `event`, in order. */
  sentOf(event: string): unknown[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.data);
  }
}

function presenceEntry(user: SessionUser, online: boolean, lastSeenAt: string | null = null): PresenceEntry {
  return { user_id: user.id, full_name: user.full_name, role: user.role === 'candidato' ? 'candidate' : 'staff', online, last_seen_at: lastSeenAt };
}

function typing(user: SessionUser, isTyping: boolean, conversationId = CONVERSATION): RealtimeEventMap['typing'] {
  return { conversation_id: conversationId, user_id: user.id, full_name: user.full_name, is_typing: isTyping };
}

function presence(user: SessionUser, online: boolean, conversationId = CONVERSATION): RealtimeEventMap['presence'] {
  return { conversation_id: conversationId, user_id: user.id, online, last_seen_at: online ? null : '2026-01-05T18:30:00.000Z' };
}

describe('ChatPresenceService', () => {
  let service: ChatPresenceService;
  let backend: HttpTestingController;
  /** The signed-in user: the candidate, unless a test changes it. */
  let me: WritableSignal<SessionUser | null>;
  /** `resume` callbacks handed to the re-authentication (its own behaviour: realtime-access.spec.ts). */
  let revocations: (() => void)[];

  beforeEach(() => {
    jest.useFakeTimers();
    FakeSocket.instances = [];
    revocations = [];
    me = signal<SessionUser | null>(CANDIDATE);
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: AuthService, useValue: { user: me.asReadonly() } },
        { provide: SOCKET_FACTORY, useValue: (auth: AuthCallback) => new FakeSocket(auth) },
        { provide: RealtimeAccessRevocation, useValue: { handle: (resume: () => void) => revocations.push(resume) } },
      ],
    });
    service = TestBed.inject(ChatPresenceService);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    service.release();
    backend.verify();
    jest.useRealTimers();
  });

  function socket(): FakeSocket {
    expect(FakeSocket.instances).toHaveLength(1);
    return FakeSocket.instances[0];
  }

  /** Watches CONVERSATION and plays the server's answers to `join` and `presence`. */
  function watchConversation(users: PresenceEntry[] = []): FakeSocket {
    service.watch(CONVERSATION);
    const fake = socket();
    fake.answer('join', { ok: true, conversation_id: CONVERSATION });
    fake.answer('presence', { ok: true, conversation_id: CONVERSATION, users });
    return fake;
  }

  describe('connection', () => {
    it('opens one socket, joins the conversation, and asks who is there only once the join is acknowledged', () => {
      service.watch(CONVERSATION);
      const fake = socket();
      expect(fake.sent).toEqual([{ event: 'join', data: { conversation_id: CONVERSATION } }]);
      fake.answer('join', { ok: true, conversation_id: CONVERSATION });
      expect(fake.sent.map((s) => s.event)).toEqual(['join', 'presence']);
      expect(fake.sentOf('presence')).toEqual([{ conversation_id: CONVERSATION }]);

      service.watch(CONVERSATION);
      expect(FakeSocket.instances).toHaveLength(1);
      expect(fake.sentOf('join')).toHaveLength(1);
    });

    it('fetches a fresh single-use ticket for every (re)connection', () => {
      service.watch(CONVERSATION);
      const fake = socket();
      const handshakes: object[] = [];

      fake.auth((data) => handshakes.push(data));
      backend.expectOne(TICKET_URL).flush({ ticket: 't1', expires_in: 30 });
      fake.auth((data) => handshakes.push(data));
      const second = backend.expectOne(TICKET_URL);
      expect(second.request.method).toBe('POST');
      second.flush({ ticket: 't2', expires_in: 30 });
      // A failed ticket request still answers the handshake (the server then refuses it and Socket.IO retries).
      fake.auth((data) => handshakes.push(data));
      backend.expectOne(TICKET_URL).flush({}, { status: 503, statusText: 'Unavailable' });

      expect(handshakes).toEqual([
        { ticket: 't1', stream: false },
        { ticket: 't2', stream: false },
        { ticket: '', stream: false },
      ]);
    });

    it('joins the watched conversation again after a reconnection', () => {
      const fake = watchConversation();
      fake.receive('connect');
      expect(fake.sentOf('join')).toEqual([{ conversation_id: CONVERSATION }, { conversation_id: CONVERSATION }]);
    });

    it('switching conversations leaves the previous one and clears its typing and presence', () => {
      const fake = watchConversation([presenceEntry(SUPPORT_AGENT, true)]);
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      expect(service.otherOnline()).toBe(true);
      expect(service.typing()).toEqual([SUPPORT_AGENT.full_name]);

      service.watch(OTHER_CONVERSATION);
      expect(fake.sentOf('leave')).toEqual([{ conversation_id: CONVERSATION }]);
      expect(fake.sentOf('join')).toEqual([{ conversation_id: CONVERSATION }, { conversation_id: OTHER_CONVERSATION }]);
      expect(service.typing()).toEqual([]);
      expect(service.otherOnline()).toBe(false);
      // Events of the conversation left no longer count.
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      fake.receive('presence', presence(SUPPORT_AGENT, true));
      expect(service.typing()).toEqual([]);
      expect(service.otherOnline()).toBe(false);
    });

    it('release() disconnects and forgets everything', () => {
      const fake = watchConversation([presenceEntry(SUPPORT_AGENT, true)]);
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      service.release();
      expect(fake.disconnected).toBe(true);
      expect(service.typing()).toEqual([]);
      expect(service.otherOnline()).toBe(false);
    });
  });

  describe('typing indicator', () => {
    it("shows another participant's typing for the watched conversation only", () => {
      const fake = watchConversation();
      fake.receive('typing', typing(SUPPORT_AGENT, true, OTHER_CONVERSATION));
      expect(service.typing()).toEqual([]);

      fake.receive('typing', typing(SUPPORT_AGENT, true));
      expect(service.typing()).toEqual([SUPPORT_AGENT.full_name]);
    });

    it('never shows one’s own typing (another tab of the same user)', () => {
      const fake = watchConversation();
      fake.receive('typing', typing(CANDIDATE, true));
      expect(service.typing()).toEqual([]);

      // The same event is shown to the other side.
      me.set(SUPPORT_AGENT);
      fake.receive('typing', typing(CANDIDATE, true));
      expect(service.typing()).toEqual([CANDIDATE.full_name]);
    });

    it('lists several people typing, and removes one on `is_typing: false`', () => {
      me.set({ ...SUPPORT_AGENT, id: '00000000-0000-4000-8000-000000000009', full_name: 'Otro agente' });
      const fake = watchConversation();
      fake.receive('typing', typing(CANDIDATE, true));
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      expect(service.typing()).toEqual([CANDIDATE.full_name, SUPPORT_AGENT.full_name]);

      fake.receive('typing', typing(CANDIDATE, false));
      expect(service.typing()).toEqual([SUPPORT_AGENT.full_name]);
    });

    it('expires by itself when not refreshed, and each refresh restarts the expiry', () => {
      const fake = watchConversation();
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      jest.advanceTimersByTime(TYPING_EXPIRY_MS - 1_000);
      // Refreshed before expiring: still shown past the first event's expiry.
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      jest.advanceTimersByTime(TYPING_EXPIRY_MS - 1);
      expect(service.typing()).toEqual([SUPPORT_AGENT.full_name]);

      jest.advanceTimersByTime(1);
      expect(service.typing()).toEqual([]);
    });

    it('a stop followed by a new start is not cut short by the earlier expiry', () => {
      const fake = watchConversation();
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      jest.advanceTimersByTime(TYPING_EXPIRY_MS / 2);
      fake.receive('typing', typing(SUPPORT_AGENT, false));
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      jest.advanceTimersByTime(TYPING_EXPIRY_MS / 2 + 1);
      expect(service.typing()).toEqual([SUPPORT_AGENT.full_name]);
    });
  });

  describe('presence', () => {
    it('starts from the presence answer, ignoring oneself', () => {
      watchConversation([presenceEntry(CANDIDATE, true), presenceEntry(SUPPORT_AGENT, false, '2026-01-05T18:00:00.000Z')]);
      expect(service.otherOnline()).toBe(false);
    });

    it('shows the other participant online from the presence answer', () => {
      watchConversation([presenceEntry(CANDIDATE, true), presenceEntry(SUPPORT_AGENT, true)]);
      expect(service.otherOnline()).toBe(true);
    });

    it('follows online and offline (with last seen) events of the other participant', () => {
      const fake = watchConversation([presenceEntry(CANDIDATE, true)]);
      expect(service.otherOnline()).toBe(false);

      fake.receive('presence', presence(SUPPORT_AGENT, true));
      expect(service.otherOnline()).toBe(true);

      const offline = presence(SUPPORT_AGENT, false);
      expect(offline.last_seen_at).not.toBeNull();
      fake.receive('presence', offline);
      expect(service.otherOnline()).toBe(false);
    });

    it('stays online while any other participant is connected', () => {
      me.set({ ...SUPPORT_AGENT, id: '00000000-0000-4000-8000-000000000009', full_name: 'Otro agente' });
      const fake = watchConversation([presenceEntry(CANDIDATE, true), presenceEntry(SUPPORT_AGENT, true)]);
      fake.receive('presence', presence(CANDIDATE, false));
      expect(service.otherOnline()).toBe(true);
      fake.receive('presence', presence(SUPPORT_AGENT, false));
      expect(service.otherOnline()).toBe(false);
    });

    it("ignores one's own presence and other conversations' presence", () => {
      const fake = watchConversation();
      fake.receive('presence', presence(CANDIDATE, true));
      fake.receive('presence', presence(SUPPORT_AGENT, true, OTHER_CONVERSATION));
      expect(service.otherOnline()).toBe(false);
    });

    it('ignores a presence answer that arrives after switching to another conversation', () => {
      service.watch(CONVERSATION);
      const fake = socket();
      fake.answer('join', { ok: true, conversation_id: CONVERSATION });
      service.watch(OTHER_CONVERSATION);
      fake.answer('presence', { ok: true, conversation_id: CONVERSATION, users: [presenceEntry(SUPPORT_AGENT, true)] });
      expect(service.otherOnline()).toBe(false);
    });
  });

  describe('sending typing (composer keystrokes)', () => {
    const typingSent = (fake: FakeSocket) => fake.sentOf('typing');
    const started = { conversation_id: CONVERSATION, is_typing: true };
    const stopped = { conversation_id: CONVERSATION, is_typing: false };

    it('sends "typing" on the first keystroke, then at most once per throttle interval', () => {
      const fake = watchConversation();
      service.keystroke();
      expect(typingSent(fake)).toEqual([started]);

      // Keep typing faster than the idle delay, for just under the throttle interval.
      for (let elapsed = 0; elapsed < TYPING_THROTTLE_MS - 100; elapsed += 100) {
        jest.advanceTimersByTime(100);
        service.keystroke();
      }
      expect(typingSent(fake)).toEqual([started]);

      jest.advanceTimersByTime(100);
      service.keystroke();
      expect(typingSent(fake)).toEqual([started, started]);
    });

    it('sends "stopped" once after the idle delay without keystrokes, and "typing" again on the next one', () => {
      const fake = watchConversation();
      service.keystroke();
      jest.advanceTimersByTime(TYPING_IDLE_MS - 1);
      service.keystroke();
      jest.advanceTimersByTime(TYPING_IDLE_MS - 1);
      expect(typingSent(fake)).toEqual([started, started]);

      jest.advanceTimersByTime(1);
      expect(typingSent(fake)).toEqual([started, started, stopped]);
      jest.advanceTimersByTime(60_000);
      expect(typingSent(fake)).toEqual([started, started, stopped]);

      // Within what would have been the throttle interval: a new burst starts at once.
      service.keystroke();
      expect(typingSent(fake)).toEqual([started, started, stopped, started]);
    });

    it('stopTyping() (message sent) sends "stopped" at once, cancels the idle timer, and the next keystroke starts again', () => {
      const fake = watchConversation();
      service.keystroke();
      service.stopTyping();
      expect(typingSent(fake)).toEqual([started, stopped]);
      jest.advanceTimersByTime(TYPING_IDLE_MS);
      expect(typingSent(fake)).toEqual([started, stopped]);

      service.keystroke();
      expect(typingSent(fake)).toEqual([started, stopped, started]);
    });

    it('stopTyping() without a typing burst sends nothing', () => {
      const fake = watchConversation();
      service.stopTyping();
      expect(typingSent(fake)).toEqual([]);
    });

    it('typing in a newly opened conversation is announced at once, not throttled by the previous one', () => {
      const fake = watchConversation();
      service.keystroke();
      service.watch(OTHER_CONVERSATION);
      fake.answer('join', { ok: true, conversation_id: OTHER_CONVERSATION });
      service.keystroke();
      expect(typingSent(fake)).toEqual([started, stopped, { conversation_id: OTHER_CONVERSATION, is_typing: true }]);
      expect(fake.sent.map((s) => s.event)).toEqual(['join', 'presence', 'typing', 'typing', 'leave', 'join', 'presence', 'typing']);
      // The idle timer of the first burst must not end the new one.
      jest.advanceTimersByTime(TYPING_IDLE_MS - 1);
      expect(typingSent(fake)).toHaveLength(3);
    });

    it('keystrokes send nothing while no conversation is watched', () => {
      service.keystroke();
      const fake = watchConversation();
      service.watch(null);
      service.keystroke();
      jest.advanceTimersByTime(TYPING_IDLE_MS);
      expect(typingSent(fake)).toEqual([]);
    });
  });

  describe('access revoked by the server', () => {
    it('clears typing and presence, re-authenticates, and reconnects (fresh ticket) only when access holds', () => {
      const fake = watchConversation([presenceEntry(SUPPORT_AGENT, true)]);
      fake.receive('typing', typing(SUPPORT_AGENT, true));
      expect(service.otherOnline()).toBe(true);
      expect(service.typing()).toEqual([SUPPORT_AGENT.full_name]);

      fake.receive('access_revoked', { conversation_id: null, code: 'forbidden_role', error: 'Sin acceso' });
      expect(service.otherOnline()).toBe(false);
      expect(service.typing()).toEqual([]);
      expect(revocations).toHaveLength(1);
      expect(fake.connects).toBe(0);

      revocations[0]();
      expect(fake.connects).toBe(1);
    });

    it('does not reconnect a socket released meanwhile', () => {
      const fake = watchConversation();
      fake.receive('access_revoked', { conversation_id: null, code: 'user_inactive', error: 'Tu cuenta está desactivada.' });
      service.release();
      revocations[0]();
      expect(fake.connects).toBe(0);
    });
  });
});
