import type { ChatActor } from '../../auth/chat-actor';
import { ChatEvent, ChatEventBus } from '../../events/chat-events';
import { TYPING_REBROADCAST_MS, TypingService } from './typing.service';

const CONV = '6f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f';
const OTHER = '7f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f';
const candidate: ChatActor = { id: 'c1', role: 'candidato', full_name: 'Ana', kind: 'candidate' };

describe('TypingService', () => {
  let bus: ChatEventBus;
  let typing: TypingService;
  let published: ChatEvent[];

  beforeEach(() => {
    jest.useFakeTimers();
    bus = new ChatEventBus();
    published = [];
    bus.events$.subscribe((event) => published.push(event));
    typing = new TypingService(bus, { typingTimeoutMs: 5_000 });
  });
  afterEach(() => {
    typing.onModuleDestroy();
    jest.useRealTimers();
  });

  const states = () => published.map((event) => (event.name === 'typing' ? [event.data.conversation_id, event.data.is_typing] : event.name));

  it('broadcasts a burst of keystrokes once, again after the re-broadcast interval, and "stopped" once', () => {
    for (let i = 0; i < 5; i++) typing.update('s1', candidate, CONV, 'c1', true);
    expect(states()).toEqual([[CONV, true]]);
    jest.advanceTimersByTime(TYPING_REBROADCAST_MS);
    typing.update('s1', candidate, CONV, 'c1', true);
    expect(states()).toEqual([
      [CONV, true],
      [CONV, true],
    ]);
    typing.update('s1', candidate, CONV, 'c1', false);
    typing.update('s1', candidate, CONV, 'c1', false);
    expect(states()).toEqual([
      [CONV, true],
      [CONV, true],
      [CONV, false],
    ]);
    expect(published[0]).toEqual({
      name: 'typing',
      candidate_user_id: 'c1',
      data: { conversation_id: CONV, user_id: 'c1', full_name: 'Ana', is_typing: true },
    });
  });

  it('expires an indicator that is not refreshed, and each refresh restarts the expiry', () => {
    typing.update('s1', candidate, CONV, 'c1', true);
    jest.advanceTimersByTime(4_000);
    typing.update('s1', candidate, CONV, 'c1', true);
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
    typing.update('s1', candidate, CONV, 'c1', true);
    typing.update('s1', candidate, OTHER, 'c1', true);
    typing.update('s2', candidate, CONV, 'c1', true);
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
