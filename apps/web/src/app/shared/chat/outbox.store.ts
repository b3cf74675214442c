import { HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { patchState, signalStore, withHooks, withMethods, withProps, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { catchError, EMPTY, mergeMap, pipe, Subject, tap } from 'rxjs';

import type { MessageDto, UploadDto } from '@app/api/models';
import { apiErrorCode, apiErrorMessage } from '@app/core/http/api-error';
import { ConnectivityService } from '@app/core/network/connectivity.service';
import { ChatApiService } from './chat-api.service';
import { newClientMessageId } from './message-timeline-order';

/** A message typed here and not yet confirmed by the API (shown greyed, or with "Reintentar"). */
export interface PendingMessage {
  readonly client_message_id: string;
  readonly conversation_id: string;
  readonly content: string | null;
  readonly attachment: UploadDto | null;
  readonly state: 'sending' | 'failed';
  readonly error: string | null;
  /** The failure was the network or the server, not the message: resent when the connection comes back. */
  readonly retryable?: boolean;
  readonly created_at: string;
}

/** What became of a send, for the store that shows the timeline. */
export type OutboxOutcome =
  | { readonly type: 'sent'; readonly message: MessageDto }
  /** The API refused it because the conversation is closed: the conversation changed under us. */
  | { readonly type: 'closed'; readonly conversationId: string };

interface OutboxState {
  /** Every conversation's unconfirmed messages, in the order they were written. */
  readonly pending: readonly PendingMessage[];
}

/**
 * The send queue: messages written on this page until the API confirms them, failures with their
 * reason, retries (always with the same `client_message_id`, so the API stores a message once however
 * often it is sent) and, when the connection comes back, resending what failed for lack of it.
 * Sends run independently of each other and of which conversation is open. Provided by each chat page.
 */
export const OutboxStore = signalStore(
  withState<OutboxState>({ pending: [] }),
  withProps(() => ({ _outcomes: new Subject<OutboxOutcome>() })),
  withProps(({ _outcomes }) => ({ outcomes$: _outcomes.asObservable() })),
  withMethods((store, api = inject(ChatApiService), connectivity = inject(ConnectivityService)) => {
    const find = (clientMessageId: string) => store.pending().find((item) => item.client_message_id === clientMessageId);
    const update = (clientMessageId: string, changes: Partial<PendingMessage>) =>
      patchState(store, ({ pending }) => ({ pending: pending.map((item) => (item.client_message_id === clientMessageId ? { ...item, ...changes } : item)) }));
    const remove = (predicate: (item: PendingMessage) => boolean) => {
      if (store.pending().some(predicate)) patchState(store, ({ pending }) => ({ pending: pending.filter((item) => !predicate(item)) }));
    };

    // mergeMap: every message is its own request; a slow one never holds back or cancels another.
    const submit = rxMethod<PendingMessage>(
      pipe(
        mergeMap((pending) =>
          api
            .sendMessage(pending.conversation_id, {
              client_message_id: pending.client_message_id,
              ...(pending.content ? { content: pending.content } : {}),
              ...(pending.attachment ? { attachment: pending.attachment } : {}),
            })
            .pipe(
              tap({
                next: (message) => {
                  remove((item) => item.client_message_id === pending.client_message_id);
                  store._outcomes.next({ type: 'sent', message });
                },
                error: (error: unknown) => {
                  const retryable = isTransientFailure(error);
                  const text =
                    retryable && !connectivity.online()
                      ? 'Sin conexión. Se enviará al volver la conexión.'
                      : apiErrorMessage(error, 'No se pudo enviar el mensaje.');
                  update(pending.client_message_id, { state: 'failed', error: text, retryable });
                  if (apiErrorCode(error) === 'conversation_closed') store._outcomes.next({ type: 'closed', conversationId: pending.conversation_id });
                },
              }),
              catchError(() => EMPTY),
            ),
        ),
      ),
    );

    const retry = (clientMessageId: string) => {
      const pending = find(clientMessageId);
      if (!pending || pending.state !== 'failed') return;
      update(clientMessageId, { state: 'sending', error: null });
      submit({ ...pending, state: 'sending', error: null });
    };

    return {
      /** Unconfirmed messages of one conversation. */
      pendingIn(conversationId: string | null): readonly PendingMessage[] {
        return conversationId ? store.pending().filter((item) => item.conversation_id === conversationId) : [];
      },
      /** Sends at once, shown as pending until the API confirms it; a failure keeps it with "Reintentar". */
      send(conversationId: string | null, content: string, attachment: UploadDto | null = null): void {
        const text = content.trim() ? content : null;
        if (!conversationId || (!text && !attachment)) return;
        const pending: PendingMessage = {
          client_message_id: newClientMessageId(),
          conversation_id: conversationId,
          content: text,
          attachment,
          state: 'sending',
          error: null,
          created_at: new Date().toISOString(),
        };
        patchState(store, ({ pending: all }) => ({ pending: [...all, pending] }));
        submit(pending);
      },
      /** Sends a failed message again with the same `client_message_id`: the API never stores it twice. */
      retry,
      /** Drops a failed message from the screen. */
      discard(clientMessageId: string): void {
        remove((item) => item.client_message_id === clientMessageId);
      },
      /** These messages reached the timeline by another way (an event): no longer pending. History pages carry no keys. */
      confirm(clientMessageIds: ReadonlySet<string>): void {
        remove((item) => clientMessageIds.has(item.client_message_id));
      },
      /** Sends again every message that failed for a network or server reason (never a rejected one). */
      resendFailed(): void {
        for (const pending of store.pending()) {
          if (pending.state === 'failed' && pending.retryable) retry(pending.client_message_id);
        }
      },
    };
  }),
  withHooks({
    onInit(store) {
      // Back online: what failed for lack of a connection goes again, with its client_message_id, so the
      // API stores it once even if the first attempt did reach it.
      inject(ConnectivityService)
        .reconnected$.pipe(takeUntilDestroyed())
        .subscribe(() => store.resendFailed());
    },
  }),
);

export type OutboxStore = InstanceType<typeof OutboxStore>;

/** No answer (status 0: offline, connection reset) or a server-side failure: worth sending again. */
function isTransientFailure(error: unknown): boolean {
  return error instanceof HttpErrorResponse && (error.status === 0 || error.status >= 500);
}
