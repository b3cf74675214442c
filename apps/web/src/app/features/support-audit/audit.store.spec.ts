import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import { Api } from '@app/api/api';
import { supportChatAuditControllerExport, supportChatAuditControllerList } from '@app/api/functions';
import type { AuditEventDto, AuditEventPageDto } from '@app/api/models';
import { auditQuery, AuditStore, NO_AUDIT_FILTERS } from './audit.store';

/** Records each `Api.invoke` and lets the test answer it. */
class FakeApi {
  readonly calls: { fn: unknown; params: Record<string, unknown>; reply: Subject<unknown> }[] = [];
  invoke(fn: unknown, params: Record<string, unknown> = {}): Subject<unknown> {
    const reply = new Subject<unknown>();
    this.calls.push({ fn, params, reply });
    return reply;
  }
  last(): FakeApi['calls'][number] {
    return this.calls[this.calls.length - 1];
  }
}

const event = (id: string, actor = 'u1', name = 'Sofía'): AuditEventDto => ({
  id,
  occurred_at: '2026-11-30T10:00:00.000Z',
  actor_user_id: actor,
  actor_name: name,
  actor_role: 'soporte',
  action: 'conversation.priority_changed',
  conversation_id: null,
  before: { priority: 'normal' },
  after: { priority: 'high' },
});

describe('AuditStore', () => {
  let api: FakeApi;
  let store: InstanceType<typeof AuditStore>;

  beforeEach(() => {
    api = new FakeApi();
    TestBed.configureTestingModule({ providers: [AuditStore, { provide: Api, useValue: api }] });
    store = TestBed.inject(AuditStore);
  });

  const answer = (page: AuditEventPageDto) => {
    api.last().reply.next(page);
    api.last().reply.complete();
  };

  it('loads the first page for the filters, then appends the next page with the cursor', () => {
    store.setFilters({ action: 'conversation.priority_changed' });
    expect(api.last()).toMatchObject({ fn: supportChatAuditControllerList, params: { action: 'conversation.priority_changed' } });
    expect(store.loading()).toBe(true);
    answer({ events: [event('1')], next_cursor: 'abc' });
    expect(store.events().map((e) => e.id)).toEqual(['1']);
    store.loadMore();
    expect(api.last().params).toEqual({ action: 'conversation.priority_changed', cursor: 'abc' });
    answer({ events: [event('2', 'u2', 'Ana')], next_cursor: null });
    expect(store.events().map((e) => e.id)).toEqual(['1', '2']);
    expect(store.nextCursor()).toBeNull();
    expect(store.actors()).toEqual([
      { id: 'u2', name: 'Ana' },
      { id: 'u1', name: 'Sofía' },
    ]);
    store.loadMore();
    expect(api.calls).toHaveLength(2);
  });

  it('a new filter replaces the entries; a refusal shows the server’s Spanish message', () => {
    store.setFilters({});
    answer({ events: [event('1')], next_cursor: null });
    store.setFilters({ conversationId: 'no-es-uuid' });
    api.last().reply.error(new HttpErrorResponse({ status: 400, error: { error: '"conversation_id" debe ser un UUID.', code: 'validation_failed' } }));
    expect(store.events()).toEqual([]);
    expect(store.error()).toBe('"conversation_id" debe ser un UUID.');
  });

  it('exports with the current filters and hands the CSV to the caller', () => {
    store.setFilters({ actorUserId: 'u1' });
    answer({ events: [], next_cursor: null });
    const saved: string[] = [];
    store.exportCsv((csv) => saved.push(csv));
    expect(api.last()).toMatchObject({ fn: supportChatAuditControllerExport, params: { actor_user_id: 'u1' } });
    expect(store.exporting()).toBe(true);
    api.last().reply.next('fecha_utc\r\n');
    api.last().reply.complete();
    expect(saved).toEqual(['fecha_utc\r\n']);
    expect(store.exporting()).toBe(false);
  });

  it('turns days into instants: from the start of "desde" to the end of "hasta", local time', () => {
    expect(auditQuery(NO_AUDIT_FILTERS)).toEqual({});
    const query = auditQuery({ ...NO_AUDIT_FILTERS, fromDate: '2026-11-01', toDate: '2026-11-30', conversationId: ' abc ' });
    expect(query.from).toBe(new Date(2026, 10, 1).toISOString());
    expect(query.to).toBe(new Date(2026, 11, 1).toISOString());
    expect(query.conversation_id).toBe('abc');
  });
});
