import { computed, inject, Injectable, InjectionToken, signal } from '@angular/core';
import { io, Socket } from 'socket.io-client';

import { Api } from '@app/api/api';
import { supportChatRealtimeControllerIssueTicket } from '@app/api/functions';
import { AuthService } from '@app/core/auth/auth.service';
import { RealtimeAccessRevocation } from './realtime-access';
import { PresenceEntry, RealtimeEventMap } from './realtime-events';

export const WS_PATH = '/api/support/chat/ws';
/** Repeated "typing" is sent at most this often; "stopped" after this long without a keystroke. */
export const TYPING_THROTTLE_MS = 2_000;
export const TYPING_IDLE_MS = 3_000;
/** A typing indicator not refreshed for this long disappears (the server also expires it). */
const TYPING_EXPIRY_MS = 6_000;

type SocketFactory = (auth: (cb: (data: object) => void) => void) => Pick<Socket, 'on' | 'emit' | 'disconnect' | 'connect'>;

export const SOCKET_FACTORY = new InjectionToken<SocketFactory>('SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => (auth) => io(globalThis.location?.origin ?? '', { path: WS_PATH, auth, transports: ['websocket'] }),
});

/**
 * Typing indicators and presence of the open conversation over Socket.IO (the two-way part of the
 * realtime API). One socket per tab, opened by the first `watch()`. `auth` is a function, so every
 * (re)connection fetches a fresh single-use ticket. Messages still come from the SSE stream; the server
 * sends typing and presence only to the sockets that joined the conversation.
 */
@Injectable({ providedIn: 'root' })
export class ChatPresenceService {
  private readonly api = inject(Api);
  private readonly createSocket = inject(SOCKET_FACTORY);
  private readonly auth = inject(AuthService);
  private readonly revocation = inject(RealtimeAccessRevocation);

  private socket: ReturnType<SocketFactory> | null = null;
  private watched: string | null = null;
  private lastTypingSent = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly expiry = new Map<string, ReturnType<typeof setTimeout>>();

  private readonly typingState = signal<Readonly<Record<string, string>>>({});
  private readonly onlineState = signal<Readonly<Record<string, boolean>>>({});

  /** Names of the other participants typing in the watched conversation. */
  readonly typing = computed(() => Object.values(this.typingState()));
  /** True when another participant of the watched conversation is connected to it. */
  readonly otherOnline = computed(() => Object.values(this.onlineState()).some(Boolean));

  /** Follows `conversationId` (null: none) for typing and presence. */
  watch(conversationId: string | null): void {
    if (conversationId === this.watched) return;
    const socket = this.ensureSocket();
    // End a typing burst here, so it neither throttles nor "stops" typing in the next conversation.
    this.stopTyping();
    if (this.watched) socket.emit('leave', { conversation_id: this.watched });
    this.watched = conversationId;
    this.typingState.set({});
    this.onlineState.set({});
    if (conversationId) this.join(conversationId);
  }

  /** Call on every keystroke in the composer: sends "typing" throttled, and "stopped" when idle. */
  keystroke(): void {
    const conversationId = this.watched;
    if (!conversationId || !this.socket) return;
    const now = Date.now();
    if (now - this.lastTypingSent >= TYPING_THROTTLE_MS) {
      this.lastTypingSent = now;
      this.socket.emit('typing', { conversation_id: conversationId, is_typing: true });
    }
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  /** The message was sent (or the text cleared). */
  stopTyping(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.lastTypingSent === 0 || !this.watched || !this.socket) return;
    this.lastTypingSent = 0;
    this.socket.emit('typing', { conversation_id: this.watched, is_typing: false });
  }

  /** Closes the socket (the chat page was left). */
  release(): void {
    this.stopTyping();
    this.socket?.disconnect();
    this.socket = null;
    this.watched = null;
    this.typingState.set({});
    this.onlineState.set({});
  }

  private join(conversationId: string): void {
    this.socket?.emit('join', { conversation_id: conversationId }, () => {
      this.socket?.emit('presence', { conversation_id: conversationId }, (reply: { ok: boolean; users?: PresenceEntry[] }) => {
        if (!reply?.ok || conversationId !== this.watched) return;
        const me = this.auth.user()?.id;
        this.onlineState.set(Object.fromEntries((reply.users ?? []).filter((user) => user.user_id !== me).map((user) => [user.user_id, user.online])));
      });
    });
  }

  private ensureSocket(): ReturnType<SocketFactory> {
    if (this.socket) return this.socket;
    const socket = this.createSocket((cb) => {
      this.api.invoke(supportChatRealtimeControllerIssueTicket, { body: {} }).subscribe({
        // `stream: false`: this tab's events come from its SSE stream; the socket carries only typing and
        // presence of the watched conversation, so no event reaches the tab twice.
        next: ({ ticket }) => cb({ ticket, stream: false }),
        error: () => cb({ ticket: '', stream: false }),
      });
    });
    socket.on('connect', () => {
      // A reconnection lost the rooms: join the watched conversation again.
      if (this.watched) this.join(this.watched);
    });
    socket.on('typing', (data: RealtimeEventMap['typing']) => this.onTyping(data));
    // The server disconnects right after this (and Socket.IO does not reconnect from a server disconnect):
    // re-authenticate, and reconnect only if the user keeps access to the chat.
    socket.on('access_revoked', () => {
      this.typingState.set({});
      this.onlineState.set({});
      this.revocation.handle(() => {
        if (this.socket === socket) socket.connect();
      });
    });
    socket.on('presence', (data: RealtimeEventMap['presence']) => {
      if (data.conversation_id !== this.watched || data.user_id === this.auth.user()?.id) return;
      this.onlineState.update((all) => ({ ...all, [data.user_id]: data.online }));
    });
    this.socket = socket;
    return socket;
  }

  private onTyping(data: RealtimeEventMap['typing']): void {
    if (data.conversation_id !== this.watched || data.user_id === this.auth.user()?.id) return;
    clearTimeout(this.expiry.get(data.user_id));
    const remove = () => {
      this.typingState.update((all) => Object.fromEntries(Object.entries(all).filter(([id]) => id !== data.user_id)));
      this.expiry.delete(data.user_id);
    };
    if (!data.is_typing) return remove();
    this.typingState.update((all) => ({ ...all, [data.user_id]: data.full_name }));
    this.expiry.set(data.user_id, setTimeout(remove, TYPING_EXPIRY_MS));
  }
}
