import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, DestroyRef, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { jest } from '@jest/globals';

import { APP_SETTINGS, DEFAULT_APP_SETTINGS } from '../config/app-settings';
import { UnreadCountService } from './unread-count.service';

const URL = '/api/support/chat/unread-count';

describe('UnreadCountService', () => {
  let service: UnreadCountService;
  let backend: HttpTestingController;
  let scope: EnvironmentInjector;

  beforeEach(() => {
    jest.useFakeTimers();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: APP_SETTINGS, useValue: { ...DEFAULT_APP_SETTINGS, pollIntervalMs: 5000 } }],
    });
    service = TestBed.inject(UnreadCountService);
    backend = TestBed.inject(HttpTestingController);
    // Stands in for the shell that owns the polling.
    scope = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
  });

  afterEach(() => {
    if (!scope.destroyed) scope.destroy();
    backend.verify();
    jest.useRealTimers();
  });

  function connect(): void {
    service.connect(scope.get(DestroyRef));
    jest.advanceTimersByTime(0);
  }

  it('loads the count when connected and polls it', () => {
    connect();
    backend.expectOne(URL).flush({ unread_count: 3 });
    expect(service.count()).toBe(3);

    jest.advanceTimersByTime(5000);
    backend.expectOne(URL).flush({ unread_count: 5 });
    expect(service.count()).toBe(5);
  });

  it('never has two requests in flight', () => {
    connect();
    jest.advanceTimersByTime(15_000);
    service.refresh();
    const pending = backend.match(URL);
    expect(pending).toHaveLength(1);
    pending[0]?.flush({ unread_count: 1 });
    // The refresh asked meanwhile runs now, alone.
    expect(backend.match(URL)).toHaveLength(1);
  });

  it('a refresh() asked while a request is in flight runs once it returns (one request at a time)', () => {
    connect();
    const first = backend.expectOne(URL);
    service.refresh();
    service.refresh();
    first.flush({ unread_count: 1 });
    expect(service.count()).toBe(1);
    // The message that caused the refresh may be missing from the first answer: one more request.
    backend.expectOne(URL).flush({ unread_count: 2 });
    expect(service.count()).toBe(2);
    backend.expectNone(URL);
  });

  it('refresh() asks again right away', () => {
    connect();
    backend.expectOne(URL).flush({ unread_count: 2 });
    service.refresh();
    backend.expectOne(URL).flush({ unread_count: 0 });
    expect(service.count()).toBe(0);
  });

  it('keeps the last count when a request fails, and goes on polling', () => {
    connect();
    backend.expectOne(URL).flush({ unread_count: 4 });
    jest.advanceTimersByTime(5000);
    backend.expectOne(URL).flush({}, { status: 500, statusText: 'Server Error' });
    expect(service.count()).toBe(4);
    jest.advanceTimersByTime(5000);
    backend.expectOne(URL).flush({ unread_count: 6 });
    expect(service.count()).toBe(6);
  });

  it('stops and resets when the owner is destroyed', () => {
    connect();
    backend.expectOne(URL).flush({ unread_count: 4 });
    scope.destroy();
    expect(service.count()).toBe(0);
    jest.advanceTimersByTime(20_000);
    backend.expectNone(URL);
  });
});
