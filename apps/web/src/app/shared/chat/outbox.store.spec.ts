import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { CONVERSATION_A, CONVERSATION_B, FakeChatApi, message } from '@testing/chat-fixtures';
import { ChatApiService } from './chat-api.service';
import { OutboxOutcome, OutboxStore } from './outbox.store';

type SendBody = { client_message_id: string; content?: string };

describe('OutboxStore', () => {
  let api: FakeChatApi;
  let outbox: OutboxStore;
  let outcomes: OutboxOutcome[];

  beforeEach(() => {
    api = new FakeChatApi();
    TestBed.configureTestingModule({ providers: [OutboxStore, { provide: ChatApiService, useValue: api }] });
    outbox = TestBed.inject(OutboxStore);
    outcomes = [];
    outbox.outcomes$.subscribe((outcome) => outcomes.push(outcome));
  });

  afterEach(() => window.dispatchEvent(new Event('online')));

  const body = (index: number) => api.callsTo('sendMessage')[index].args[1] as SendBody;

  it('shows the message as pending at once, then drops it and reports the stored message', () => {
    outbox.send(CONVERSATION_A, 'Hola');
    expect(outbox.pendingIn(CONVERSATION_A)).toEqual([expect.objectContaining({ content: 'Hola', state: 'sending' })]);
    expect(api.callsTo('sendMessage')[0].args[0]).toBe(CONVERSATION_A);
    const stored = message(CONVERSATION_A, 2, { content: 'Hola', client_message_id: body(0).client_message_id });
    api.respond('sendMessage', stored);
    expect(outbox.pendingIn(CONVERSATION_A)).toEqual([]);
    expect(outcomes).toEqual([{ type: 'sent', message: stored }]);
  });

  it('keeps each conversation’s messages apart, and sends never wait for each other', () => {
    outbox.send(CONVERSATION_A, 'Primero');
    outbox.send(CONVERSATION_B, 'Segundo');
    expect(api.callsTo('sendMessage')).toHaveLength(2);
    expect(outbox.pendingIn(CONVERSATION_A).map((item) => item.content)).toEqual(['Primero']);
    expect(outbox.pendingIn(CONVERSATION_B).map((item) => item.content)).toEqual(['Segundo']);
    expect(outbox.pendingIn(null)).toEqual([]);
    // The second answers first: the first is still pending, not lost or cancelled.
    api.respond('sendMessage', message(CONVERSATION_B, 1, { client_message_id: body(1).client_message_id }), 1);
    expect(outbox.pendingIn(CONVERSATION_A)).toHaveLength(1);
    api.respond('sendMessage', message(CONVERSATION_A, 1, { client_message_id: body(0).client_message_id }), 0);
    expect(outbox.pending()).toEqual([]);
  });

  it('keeps a failed message with its error; retrying reuses the client_message_id so it is never stored twice', () => {
    outbox.send(CONVERSATION_A, 'Hola');
    api.fail('sendMessage', new HttpErrorResponse({ status: 0 }));
    expect(outbox.pendingIn(CONVERSATION_A)[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('No se pudo conectar'), retryable: true });

    outbox.retry(body(0).client_message_id);
    expect(outbox.pendingIn(CONVERSATION_A)[0]).toMatchObject({ state: 'sending', error: null });
    expect(body(1).client_message_id).toBe(body(0).client_message_id);
    // Retrying a message that is already being sent does nothing.
    outbox.retry(body(0).client_message_id);
    expect(api.callsTo('sendMessage')).toHaveLength(2);
  });

  it('reports a refusal because the conversation is closed, and keeps the message with the API’s reason', () => {
    outbox.send(CONVERSATION_A, 'Hola');
    api.fail('sendMessage', new HttpErrorResponse({ status: 409, error: { error: 'La conversación está cerrada.', code: 'conversation_closed' } }));
    expect(outbox.pendingIn(CONVERSATION_A)[0]).toMatchObject({ state: 'failed', error: 'La conversación está cerrada.', retryable: false });
    expect(outcomes).toEqual([{ type: 'closed', conversationId: CONVERSATION_A }]);
  });

  it('back online, resends what failed for lack of a connection (same client_message_id), never what the API refused', () => {
    window.dispatchEvent(new Event('offline'));
    outbox.send(CONVERSATION_A, 'Sin red');
    api.fail('sendMessage', new HttpErrorResponse({ status: 0 }));
    expect(outbox.pendingIn(CONVERSATION_A)[0]).toMatchObject({ state: 'failed', error: 'Sin conexión. Se enviará al volver la conexión.' });
    outbox.send(CONVERSATION_B, 'Rechazado');
    api.fail('sendMessage', new HttpErrorResponse({ status: 400, error: { error: 'El mensaje no es válido.', code: 'validation_failed' } }));

    window.dispatchEvent(new Event('online'));
    expect(
      api
        .callsTo('sendMessage')
        .slice(2)
        .map((call) => (call.args[1] as SendBody).client_message_id),
    ).toEqual([body(0).client_message_id]);
  });

  it('confirm() and discard() drop messages from the queue', () => {
    outbox.send(CONVERSATION_A, 'Uno');
    outbox.send(CONVERSATION_A, 'Dos');
    outbox.confirm(new Set([body(0).client_message_id]));
    expect(outbox.pendingIn(CONVERSATION_A).map((item) => item.content)).toEqual(['Dos']);
    outbox.discard(body(1).client_message_id);
    expect(outbox.pending()).toEqual([]);
  });

  it('ignores empty messages and sends without a conversation', () => {
    outbox.send(CONVERSATION_A, '   \n ');
    outbox.send(null, 'Hola');
    expect(api.callsTo('sendMessage')).toHaveLength(0);
  });
});
