import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Observable, of, Subject, throwError } from 'rxjs';

import type { QuickReplyDto, QuickReplyListDto } from '@app/api/models';
import { TeamToolsApiService } from '@app/shared/team-tools/team-tools-api.service';
import { QuickRepliesStore } from './quick-replies.store';

const reply = (id: string, title: string): QuickReplyDto => ({
  id,
  scope: 'personal',
  title,
  body: 'Hola {{candidato.nombre}}',
  shortcut: null,
  position: 1,
  can_edit: true,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});

describe('QuickRepliesStore', () => {
  let lists: Subject<QuickReplyListDto>[];
  let calls: [string, ...unknown[]][];
  let createAnswer: () => Observable<unknown>;
  let store: QuickRepliesStore;

  beforeEach(() => {
    lists = [];
    calls = [];
    createAnswer = () => of(reply('n', 'Nueva'));
    const api = {
      quickReplies: () => {
        const list = new Subject<QuickReplyListDto>();
        lists.push(list);
        return list;
      },
      createQuickReply: (body: unknown) => (calls.push(['create', body]), createAnswer()),
      updateQuickReply: (id: string, body: unknown) => (calls.push(['update', id, body]), of(reply('n', 'Nueva'))),
      deleteQuickReply: (id: string) => (calls.push(['delete', id]), of(undefined)),
    };
    TestBed.configureTestingModule({ providers: [QuickRepliesStore, { provide: TeamToolsApiService, useValue: api }] });
    store = TestBed.inject(QuickRepliesStore);
  });

  it('loads the replies, then reloads after each saved change', () => {
    store.load();
    lists[0].next({ quick_replies: [reply('a', 'Saludo')], can_manage_team: false });
    expect(store.replies().map((r) => r.title)).toEqual(['Saludo']);
    expect(store.canManageTeam()).toBe(false);

    let cleared = 0;
    store.save({ kind: 'create', body: { scope: 'personal', title: 'Nueva', body: 'x' }, onSaved: () => cleared++ });
    expect(cleared).toBe(1);
    expect(calls).toEqual([['create', { scope: 'personal', title: 'Nueva', body: 'x' }]]);
    expect(store.saved()).toBe(1);
    lists[1].next({ quick_replies: [reply('a', 'Saludo'), reply('n', 'Nueva')], can_manage_team: false });
    lists[1].complete(); // as HTTP does: the next change waits for this one's reload
    expect(store.replies().map((r) => r.title)).toEqual(['Saludo', 'Nueva']);

    store.save({ kind: 'delete', id: 'n' });
    expect(calls[1]).toEqual(['delete', 'n']);
    expect(lists).toHaveLength(3);
  });

  it('shows the server’s Spanish message when a change is refused, and keeps accepting changes', () => {
    createAnswer = () =>
      throwError(() => new HttpErrorResponse({ status: 400, error: { error: 'Variable desconocida: {{x}}.', code: 'quick_reply_unknown_variable' } }));
    let cleared = 0;
    store.save({ kind: 'create', body: { scope: 'personal', title: 't', body: '{{x}}' }, onSaved: () => cleared++ });
    expect(store.error()).toBe('Variable desconocida: {{x}}.');
    expect(cleared).toBe(0);
    expect(store.saving()).toBe(false);
    expect(store.saved()).toBe(0);
    store.save({ kind: 'update', id: 'a', body: { title: 'Otro' } });
    expect(calls[1]).toEqual(['update', 'a', { title: 'Otro' }]);
    expect(store.error()).toBeNull();
  });
});
