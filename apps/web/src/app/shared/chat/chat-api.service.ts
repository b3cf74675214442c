import { HttpClient, HttpErrorResponse, HttpEvent, HttpEventType } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { catchError, filter, map, Observable, of, throwError } from 'rxjs';

import { Api } from '@app/api/api';
import {
  chatPreferencesControllerGetPreferences,
  chatPreferencesControllerUpdatePreferences,
  searchControllerSearchMessages,
  handoffControllerAddNote,
  handoffControllerEscalate,
  handoffControllerReturnToAgents,
  handoffControllerStaffDirectory,
  handoffControllerTransfer,
  supportChatControllerCreateConversation,
  supportChatControllerGetConversation,
  supportChatControllerListConversations,
  supportChatControllerListMessages,
  supportChatControllerMarkRead,
  supportChatControllerReadMarkers,
  supportChatControllerSendMessage,
  supportChatControllerUpdateConversation,
  supportChatControllerUpdateStatus,
  transcriptControllerTranscript,
  uploadsControllerUpload,
  usersControllerList,
} from '@app/api/functions';
import type { SupportChatControllerListConversations$Params } from '@app/api/fn/chat-de-soporte/support-chat-controller-list-conversations';
import type { SupportChatControllerListMessages$Params } from '@app/api/fn/chat-de-soporte/support-chat-controller-list-messages';
import type {
  AttachmentInputDto,
  ChatPreferencesDto,
  ConversationDto,
  ConversationListDto,
  CreateConversationDto,
  MessageDto,
  MessageSearchListDto,
  ReadMarkerListDto,
  ReadStateDto,
  StaffMemberDto,
  UpdateConversationDto,
  UploadDto,
  UserSummaryDto,
} from '@app/api/models';
import { ifNoneMatch } from '@app/core/http/conditional-request';
import { expandMessagePage, HistoryPage } from './message-page';

export type ConversationListQuery = SupportChatControllerListConversations$Params;
export type HistoryQuery = Omit<SupportChatControllerListMessages$Params, 'conversationId'>;

/** A conversation list page, or "nothing changed since this ETag". */
export type ConversationListResult = { notModified: true } | { notModified: false; list: ConversationListDto; etag: string | null };

export type UploadProgress = { kind: 'progress'; percent: number } | { kind: 'done'; upload: UploadDto };

/**
 * The chat endpoints as the pages use them, on top of the client generated from `openapi.json`
 * (request and response types are the generated ones; nothing is copied by hand).
 */
@Injectable({ providedIn: 'root' })
export class ChatApiService {
  private readonly api = inject(Api);
  private readonly http = inject(HttpClient);

  /** `GET /conversations` revalidated with `If-None-Match`: a 304 becomes `{ notModified: true }`. */
  listConversations(query: ConversationListQuery, etag: string | null = null): Observable<ConversationListResult> {
    return this.api.invoke$Response(supportChatControllerListConversations, query, ifNoneMatch(etag)).pipe(
      map((response): ConversationListResult => ({ notModified: false, list: response.body, etag: response.headers.get('ETag') })),
      catchError((error: unknown) =>
        error instanceof HttpErrorResponse && error.status === 304 ? of<ConversationListResult>({ notModified: true }) : throwError(() => error),
      ),
    );
  }

  /** The conversation as a printable HTML file, with times in `timeZone` (`GET .../transcript`). */
  transcript(conversationId: string, timeZone: string): Observable<{ filename: string; html: string }> {
    return this.api.invoke$Response(transcriptControllerTranscript, { conversationId, tz: timeZone }).pipe(
      map((response) => ({
        filename: /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'conversacion.html',
        html: response.body,
      })),
    );
  }

  /** The caller's chat preferences (e-mail when away). */
  preferences(): Observable<ChatPreferencesDto> {
    return this.api.invoke(chatPreferencesControllerGetPreferences, {});
  }

  updatePreferences(body: ChatPreferencesDto): Observable<ChatPreferencesDto> {
    return this.api.invoke(chatPreferencesControllerUpdatePreferences, { body });
  }

  getConversation(conversationId: string): Observable<ConversationDto> {
    return this.api.invoke(supportChatControllerGetConversation, { conversationId }).pipe(map((body) => body.conversation));
  }

  createConversation(body: CreateConversationDto): Observable<ConversationDto> {
    return this.api.invoke(supportChatControllerCreateConversation, { body }).pipe(map((response) => response.conversation));
  }

  /** A history page with its messages whole again (the API sends senders once per page). */
  history(conversationId: string, query: HistoryQuery): Observable<HistoryPage> {
    return this.api.invoke(supportChatControllerListMessages, { conversationId, ...query }).pipe(map(expandMessagePage));
  }

  sendMessage(conversationId: string, body: { content?: string; attachment?: AttachmentInputDto; client_message_id: string }): Observable<MessageDto> {
    return this.api.invoke(supportChatControllerSendMessage, { conversationId, body }).pipe(map((response) => response.message));
  }

  markRead(conversationId: string, lastMessageId?: string): Observable<ReadStateDto> {
    return this.api.invoke(supportChatControllerMarkRead, { conversationId, body: lastMessageId ? { last_message_id: lastMessageId } : {} });
  }

  /**
   * The other participants' read markers (for «Visto»; later moves come as `read.updated` events) and
   * the caller's unread count in the conversation.
   */
  readMarkers(conversationId: string): Observable<ReadMarkerListDto> {
    return this.api.invoke(supportChatControllerReadMarkers, { conversationId });
  }

  updateStatus(conversationId: string, status: ConversationDto['status']): Observable<ConversationDto> {
    return this.api.invoke(supportChatControllerUpdateStatus, { conversationId, body: { status } }).pipe(map((response) => response.conversation));
  }

  /** Staff only: assignment and priority. `assigned_support_user_id: null` unassigns. */
  updateConversation(conversationId: string, body: UpdateConversationDto): Observable<ConversationDto> {
    return this.api.invoke(supportChatControllerUpdateConversation, { conversationId, body }).pipe(map((response) => response.conversation));
  }

  /** Conversations whose messages contain every word of `q` (candidates: their own only), newest match first. */
  searchMessages(q: string): Observable<MessageSearchListDto> {
    return this.api.invoke(searchControllerSearchMessages, { q });
  }

  /** Staff only: an internal note (never shown to the candidate). */
  addNote(conversationId: string, content: string, clientMessageId: string): Observable<MessageDto> {
    return this.api
      .invoke(handoffControllerAddNote, { conversationId, body: { content, client_message_id: clientMessageId } })
      .pipe(map((response) => response.message));
  }

  /** Staff only: hand the conversation to a colleague, with an optional internal note. */
  transfer(conversationId: string, assigneeId: string, note?: string): Observable<ConversationDto> {
    return this.api
      .invoke(handoffControllerTransfer, { conversationId, body: { assigned_support_user_id: assigneeId, ...(note ? { note } : {}) } })
      .pipe(map((response) => response.conversation));
  }

  /** Staff only: turn the conversation over to a coordinator (or the coordinators' queue with `null`). */
  escalate(conversationId: string, coordinatorId: string | null, note?: string): Observable<ConversationDto> {
    return this.api
      .invoke(handoffControllerEscalate, {
        conversationId,
        body: { ...(coordinatorId ? { coordinator_user_id: coordinatorId } : {}), ...(note ? { note } : {}) },
      })
      .pipe(map((response) => response.conversation));
  }

  /** Staff only: give an escalated conversation back to an agent (or the "Sin asignar" queue with `null`). */
  returnToAgents(conversationId: string, agentId: string | null, note?: string): Observable<ConversationDto> {
    return this.api
      .invoke(handoffControllerReturnToAgents, {
        conversationId,
        body: { ...(agentId ? { assigned_support_user_id: agentId } : {}), ...(note ? { note } : {}) },
      })
      .pipe(map((response) => response.conversation));
  }

  /** Staff only: the team for the transfer picker (online state and open conversations each). */
  staff(): Observable<StaffMemberDto[]> {
    return this.api.invoke(handoffControllerStaffDirectory, {}).pipe(map((response) => response.staff));
  }

  /** Staff only: candidates from the host's user directory. */
  searchCandidates(search: string): Observable<UserSummaryDto[]> {
    return this.api.invoke(usersControllerList, { role: 'candidato', search: search || undefined, limit: 10 }).pipe(map((response) => response.users));
  }

  /**
   * `POST /api/uploads` (the host's upload service, outside the chat) with progress events; the
   * resulting metadata is what the message's `attachment` carries.
   */
  upload(file: File): Observable<UploadProgress> {
    const body = new FormData();
    body.append('file', file, file.name);
    return this.http.post<UploadDto>(`${this.api.rootUrl}${uploadsControllerUpload.PATH}`, body, { reportProgress: true, observe: 'events' }).pipe(
      map((event: HttpEvent<UploadDto>): UploadProgress | null => {
        if (event.type === HttpEventType.UploadProgress) {
          return { kind: 'progress', percent: event.total ? Math.round((100 * event.loaded) / event.total) : 0 };
        }
        // The host answers a relative URL unless it has a configured PUBLIC_BASE_URL (it never trusts the
        // request's Host header); the page's own address is the right base for it.
        if (event.type === HttpEventType.Response && event.body)
          return { kind: 'done', upload: { ...event.body, url: new URL(event.body.url, document.baseURI).href } };
        return null;
      }),
      filter((event): event is UploadProgress => event !== null),
    );
  }
}
