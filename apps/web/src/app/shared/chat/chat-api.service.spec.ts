import { HttpEventType, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, toArray } from 'rxjs';

import { conditionalRequestInterceptor } from '@app/core/http/conditional-request';
import { CONVERSATION_A, listItem } from '@testing/chat-fixtures';
import { ChatApiService, UploadProgress } from './chat-api.service';

describe('ChatApiService', () => {
  let api: ChatApiService;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([conditionalRequestInterceptor])), provideHttpClientTesting()],
    });
    api = TestBed.inject(ChatApiService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('lists conversations and returns the ETag to revalidate with', async () => {
    const result = firstValueFrom(api.listConversations({ page: 1, per_page: 20, status: 'open' }));
    const request = http.expectOne((req) => req.url === '/api/support/chat/conversations');
    expect(request.request.params.get('status')).toBe('open');
    expect(request.request.headers.has('If-None-Match')).toBe(false);
    const list = { conversations: [listItem(CONVERSATION_A)], page: 1, per_page: 20, total: 1, pages: 1 };
    request.flush(list, { headers: { ETag: 'W/"abc"' } });
    await expect(result).resolves.toEqual({ notModified: false, list, etag: 'W/"abc"' });
  });

  it('sends If-None-Match and turns a 304 into "not modified"', async () => {
    const result = firstValueFrom(api.listConversations({ page: 1 }, 'W/"abc"'));
    const request = http.expectOne((req) => req.url === '/api/support/chat/conversations');
    expect(request.request.headers.get('If-None-Match')).toBe('W/"abc"');
    request.flush(null, { status: 304, statusText: 'Not Modified' });
    await expect(result).resolves.toEqual({ notModified: true });
  });

  it('still reports real errors', async () => {
    const result = firstValueFrom(api.listConversations({ page: 1 }, 'W/"abc"'));
    http.expectOne((req) => req.url === '/api/support/chat/conversations').flush({ error: 'x', code: 'y' }, { status: 500, statusText: 'Error' });
    await expect(result).rejects.toMatchObject({ status: 500 });
  });

  it('history: the compact page comes back with whole messages (senders from the page)', async () => {
    const result = firstValueFrom(api.history(CONVERSATION_A, { page: 1, per_page: 30 }));
    const request = http.expectOne((req) => req.url === `/api/support/chat/conversations/${CONVERSATION_A}/messages`);
    expect(request.request.params.get('per_page')).toBe('30');
    request.flush({
      conversation_id: CONVERSATION_A,
      users: { 'u-1': { full_name: 'Ana López', role: 'soporte' } },
      messages: [{ id: 'm1', seq: 1, sender_user_id: 'u-1', content: 'Hola', created_at: '2026-11-30T16:00:00.000Z' }],
      page: 1,
      per_page: 30,
      total: 1,
      pages: 1,
      has_older: false,
      has_newer: false,
    });
    const page = await result;
    expect(page.messages[0]).toMatchObject({
      conversation_id: CONVERSATION_A,
      sender: { id: 'u-1', full_name: 'Ana López', role: 'soporte' },
      message_type: 'text',
    });
    expect(page).not.toHaveProperty('users');
  });

  it('uploads multipart to /api/uploads with progress, then the metadata', async () => {
    const file = new File(['hola'], 'nota.txt', { type: 'text/plain' });
    const events = firstValueFrom(api.upload(file).pipe(toArray()));
    const request = http.expectOne('/api/uploads');
    expect(request.request.method).toBe('POST');
    expect(request.request.reportProgress).toBe(true);
    expect((request.request.body as FormData).get('file')).toBeInstanceOf(File);
    request.event({ type: HttpEventType.UploadProgress, loaded: 2, total: 4 });
    const upload = { url: 'https://x/api/uploads/1/nota.txt', name: 'nota.txt', mime_type: 'text/plain', size_bytes: 4 };
    request.flush(upload);
    await expect(events).resolves.toEqual<UploadProgress[]>([
      { kind: 'progress', percent: 50 },
      { kind: 'done', upload },
    ]);
  });

  it('resolves a relative upload URL against the page address', async () => {
    const events = firstValueFrom(api.upload(new File(['hola'], 'nota.txt')).pipe(toArray()));
    const upload = { url: '/api/uploads/1/nota.txt', name: 'nota.txt', mime_type: 'text/plain', size_bytes: 4 };
    http.expectOne('/api/uploads').flush(upload);
    await expect(events).resolves.toEqual<UploadProgress[]>([
      { kind: 'done', upload: { ...upload, url: new URL('/api/uploads/1/nota.txt', document.baseURI).href } },
    ]);
    expect((await events)[0]).toMatchObject({ upload: { url: expect.stringMatching(/^http:\/\/[^/]+\/api\/uploads\/1\/nota\.txt$/) } });
  });
});
