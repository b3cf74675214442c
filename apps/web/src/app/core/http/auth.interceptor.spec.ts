import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { tokenExpiringIn } from '@testing/fake-jwt';
import { CANDIDATE, storeSession } from '@testing/session-fixtures';
import { authInterceptor } from './auth.interceptor';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  function setUp(): void {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => backend.verify());

  it('adds the bearer token to requests for our API', () => {
    const token = tokenExpiringIn(3600);
    storeSession(CANDIDATE, token);
    setUp();

    http.get('/api/support/chat/unread-count').subscribe();
    http.get(`${location.origin}/api/auth/me`).subscribe();

    expect(backend.expectOne('/api/support/chat/unread-count').request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    expect(backend.expectOne(`${location.origin}/api/auth/me`).request.headers.get('Authorization')).toBe(`Bearer ${token}`);
  });

  it('never sends the token to another origin or outside /api/', () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    setUp();

    http.get('https://storage.example.com/api/uploads/file.pdf').subscribe();
    http.get('/assets/logo.svg').subscribe();

    expect(backend.expectOne('https://storage.example.com/api/uploads/file.pdf').request.headers.has('Authorization')).toBe(false);
    expect(backend.expectOne('/assets/logo.svg').request.headers.has('Authorization')).toBe(false);
  });

  it('sends requests unchanged when signed out', () => {
    setUp();
    http.post('/api/auth/login', { username: 'candidato1', password: 'x' }).subscribe();
    expect(backend.expectOne('/api/auth/login').request.headers.has('Authorization')).toBe(false);
  });

  it('keeps an Authorization header the caller set', () => {
    storeSession(CANDIDATE, tokenExpiringIn(3600));
    setUp();
    http.get('/api/auth/me', { headers: { Authorization: 'Bearer other' } }).subscribe();
    expect(backend.expectOne('/api/auth/me').request.headers.get('Authorization')).toBe('Bearer other');
  });
});
