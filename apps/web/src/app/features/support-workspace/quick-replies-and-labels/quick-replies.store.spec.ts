import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { of, Subject, throwError } from 'rxjs';

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
  let api: { quickReplies: jest.Mock; createQuickReply: jest.Mock; updateQuickReply: jest.Mock; deleteQuickReply: jest.Mock };
  let store: QuickRepliesStore;

  beforeEach(() => {
    lists = [];
    api = {
      quickReplies: jest.fn(() => {
        const list = new Subject<QuickReplyListDto>();
        lists.push(list);
        return list;
      }),
      createQuickReply: jest.fn(() => of(reply('n', 'Nueva'))),
      updateQuickReply: jest.fn(() => of(reply('n', 'Nueva'))),
      deleteQuickReply: jest.fn(() => of(undefined)),
    };
    TestBed.configureTestingModule({ providers: [QuickRepliesStore, { provide: TeamToolsApiService, useValue: api }] });
    store = TestBed.inject(QuickRepliesStore);
  });

  it('loads the replies, then reloads after each saved change', () => {
    store.load();
    lists[0].next({ quick_replies: [reply('a', 'Saludo')], can_manage_team: false });
    expect(store.replies().map((r) => r.title)).toEqual(['Saludo']);
    expect(store.canManageTeam()).toBe(false);

    store.save({ kind: 'create', body: { scope: 'personal', title: 'Nueva', body: 'x' } });
    expect(api.createQuickReply).toHaveBeenCalledWith({ scope: 'personal', title: 'Nueva', body: 'x' });
    expect(store.saved()).toBe(1);
    lists[1].next({ quick_replies: [reply('a', 'Saludo'), reply('n', 'Nueva')], can_manage_team: false });
    expect(store.replies().map((r) => r.title)).toEqual(['Saludo', 'Nueva']);

    store.save({ kind: 'delete', id: 'n' });
    expect(api.deleteQuickReply).toHaveBeenCalledWith('n');
    expect(lists).toHaveLength(3);
  });

  it('shows the server’s Spanish message when a change is refused, and keeps accepting changes', () => {
    api.createQuickReply.mockReturnValueOnce(
      throwError(() => new HttpErrorResponse({ status: 400, error: { error: 'Variable desconocida: {{x}}.', code: 'quick_reply_unknown_variable' } })),
    );
    store.save({ kind: 'create', body: { scope: 'personal', title: 't', body: '{{x}}' } });
    expect(store.error()).toBe('Variable desconocida: {{x}}.');
    expect(store.saving()).toBe(false);
    expect(store.saved()).toBe(0);
    store.save({ kind: 'update', id: 'a', body: { title: 'Otro' } });
    expect(api.updateQuickReply).toHaveBeenCalledWith('a', { title: 'Otro' });
    expect(store.error()).toBeNull();
  });
});
