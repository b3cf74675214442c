import type { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Observable, of, Subject } from 'rxjs';

import type { ConversationDto, ConversationListItemDto, MessageDto, ReadMarkerListDto } from '@app/api/models';
import { UnreadCountService } from '@app/core/unread/unread-count.service';
import { ChatApiService, type ConversationListResult } from '@app/shared/chat/chat-api.service';
import { tokenExpiringIn } from './fake-jwt';
import { CANDIDATE, storeSession, SUPPORT_AGENT } from './session-fixtures';

export const CONVERSATION_A = '00000000-0000-4000-8000-00000000000a';
export const CONVERSATION_B = '00000000-0000-4000-8000-00000000000b';

export function conversation(id: string, changes: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id,
    candidate_user_id: CANDIDATE.id,
    candidate: { id: CANDIDATE.id, full_name: CANDIDATE.full_name, role: 'candidato', username: CANDIDATE.username, email: CANDIDATE.email },
    created_by_user_id: CANDIDATE.id,
    assigned_support_user_id: null,
    assigned_support_user: null,
    subject: `Asunto ${id.slice(-1)}`,
    status: 'open',
    priority: 'normal',
    created_at: '2026-03-01T16:00:00.000Z',
    updated_at: '2026-03-01T16:00:00.000Z',
    last_message_at: null,
    last_message_seq: 0,
    ...changes,
  };
}

export function listItem(id: string, changes: Partial<ConversationListItemDto> = {}): ConversationListItemDto {
  return { ...conversation(id), last_message: null, unread_count: 0, ...changes };
}

export function message(conversationId: string, seq: number, changes: Partial<MessageDto> = {}): MessageDto {
  const fromAgent = seq % 2 === 0;
  const sender = fromAgent ? SUPPORT_AGENT : CANDIDATE;
  return {
    id: `${conversationId.slice(-1)}-m${seq}`,
    conversation_id: conversationId,
    seq,
    client_message_id: `00000000-0000-4000-9000-${String(seq).padStart(12, '0')}`,
    sender_user_id: sender.id,
    sender: { id: sender.id, full_name: sender.full_name, role: sender.role },
    content: `Mensaje ${seq}`,
    message_type: 'text',
    attachment: null,
    created_at: new Date(Date.UTC(2026, 2, 1, 16, seq)).toISOString(),
    edited_at: null,
    ...changes,
  };
}

interface Call {
  readonly method: string;
  readonly args: unknown[];
  readonly response: Subject<unknown>;
  done: boolean;
}

/**
 * A `ChatApiService` whose every call returns a pending response the test resolves when it wants,
 * in any order: `api.next('getConversation', value)` answers the oldest unanswered call.
 */
export class FakeChatApi {
  readonly calls: Call[] = [];

  private call<T>(method: string, args: unknown[]): Observable<T> {
    const response = new Subject<unknown>();
    this.calls.push({ method, args, response, done: false });
    return response.asObservable() as Observable<T>;
  }

  listConversations = (...args: unknown[]) => this.call<ConversationListResult>('listConversations', args);
  getConversation = (...args: unknown[]) => this.call<ConversationDto>('getConversation', args);
  history = (...args: unknown[]) => this.call('history', args);
  sendMessage = (...args: unknown[]) => this.call<MessageDto>('sendMessage', args);
  markRead = (...args: unknown[]) => this.call('markRead', args);
  /** What `readMarkers()` answers, at once (set it before opening a conversation). */
  readState: ReadMarkerListDto = { markers: [], unread_count: 0 };
  readonly readMarkerCalls: unknown[][] = [];
  readMarkers = (...args: unknown[]) => {
    this.readMarkerCalls.push(args);
    return of(this.readState);
  };
  updateStatus = (...args: unknown[]) => this.call<ConversationDto>('updateStatus', args);
  updateConversation = (...args: unknown[]) => this.call<ConversationDto>('updateConversation', args);
  createConversation = (...args: unknown[]) => this.call<ConversationDto>('createConversation', args);
  searchCandidates = (...args: unknown[]) => this.call('searchCandidates', args);
  searchMessages = (...args: unknown[]) => this.call('searchMessages', args);
  upload = (...args: unknown[]) => this.call('upload', args);

  /** Calls made to `method`, oldest first. */
  callsTo(method: string): Call[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Answers (and completes) a call to `method`: the oldest open one, or the given index. */
  respond(method: string, value: unknown, index?: number): void {
    const call = this.pick(method, index);
    call.done = true;
    call.response.next(value);
    call.response.complete();
  }

  /** Answers the opening of `conversationId` (its details, then its history) with a conversation of one message. */
  respondOpenedWithOneMessage(conversationId: string): void {
    this.respond('getConversation', conversation(conversationId, { last_message_seq: 1 }));
    this.respond('history', {
      conversation_id: conversationId,
      messages: [message(conversationId, 1)],
      page: 1,
      per_page: 30,
      total: 1,
      pages: 1,
      has_older: false,
      has_newer: false,
    });
  }

  fail(method: string, error: unknown, index?: number): void {
    const call = this.pick(method, index);
    call.done = true;
    call.response.error(error);
  }

  private pick(method: string, index?: number): Call {
    const call = index === undefined ? this.callsTo(method).find((candidate) => !candidate.done) : this.callsTo(method)[index];
    if (!call) throw new Error(`No pending call to ${method}`);
    return call;
  }
}

/**
 * Signs a support agent in and configures the TestBed with a `FakeChatApi` (returned) and a silent
 * unread counter, next to the test's own `providers`.
 */
export function setUpSupportChatTest(providers: (Provider | EnvironmentProviders)[]): FakeChatApi {
  localStorage.clear();
  storeSession(SUPPORT_AGENT, tokenExpiringIn(3600));
  const api = new FakeChatApi();
  TestBed.configureTestingModule({
    providers: [...providers, { provide: ChatApiService, useValue: api }, { provide: UnreadCountService, useValue: { refresh: () => undefined } }],
  });
  return api;
}
