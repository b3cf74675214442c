import type { ChatActor } from '../../auth/chat-actor';
import type { ChatEventMap } from '../../events/chat-events';
import { TYPING_REBROADCAST_MS, TypingService } from './typing.service';

const CONV = '6f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f';
const OTHER = '7f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f';
const candidate: ChatActor = { id: 'c1', role: 'candidato', full_name: 'Ana', kind: 'candidate' };

describe('TypingService', () => {
  let typing: TypingService;
  let published: ChatEventMap['typing'][];

  beforeEach(() => {
    jest.useFakeTimers();
    published = [];
    typing = new TypingService({ typingTimeoutMs: 5_000 });
    typing.changes$.subscribe((change) => published.push(change));
  });
  afterEach(() => {
    typing.onModuleDestroy();
    jest.useRealTimers();
  });

  const states = () => published.map((change) => [change.conversation_id, change.is_typing]);

  it('broadcasts a burst of keystrokes once, again after the re-broadcast interval, and "stopped" once', () => {
    for (let i = 0; i < 5; i++) typing.update('s1', candidate, CONV, true);
    expect(states()).toEqual([[CONV, true]]);
    jest.advanceTimersByTime(TYPING_REBROADCAST_MS);
    typing.update('s1', candidate, CONV, true);
    expect(states()).toEqual([
      [CONV, true],
      [CONV, true],
    ]);
    typing.update('s1', candidate, CONV, false);
    typing.update('s1', candidate, CONV, false);
    expect(states()).toEqual([
      [CONV, true],
      [CONV, true],
      [CONV, false],
    ]);
    expect(published[0]).toEqual({ conversation_id: CONV, user_id: 'c1', full_name: 'Ana', is_typing: true });
  });

  it('expires an indicator that is not refreshed, and each refresh restarts the expiry', () => {
    typing.update('s1', candidate, CONV, true);
    jest.advanceTimersByTime(4_000);
    typing.update('s1', candidate, CONV, true);
    jest.advanceTimersByTime(4_000);
    expect(states()).toEqual([
      [CONV, true],
      [CONV, true],
    ]);
    jest.advanceTimersByTime(1_000);
    expect(states()).toEqual([
      [CONV, true],
      [CONV, true],
      [CONV, false],
    ]);
  });

  it('a disconnected socket stops typing everywhere; another socket of the same user is separate', () => {
    typing.update('s1', candidate, CONV, true);
    typing.update('s1', candidate, OTHER, true);
    typing.update('s2', candidate, CONV, true);
    typing.stopAll('s1');
    expect(states()).toEqual([
      [CONV, true],
      [OTHER, true],
      [CONV, true],
      [CONV, false],
      [OTHER, false],
    ]);
    typing.stopAll('s1');
    expect(published).toHaveLength(5);
  });
});
