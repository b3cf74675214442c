import type { ChatActor } from '../auth/chat-actor';
import { type ChatEvent, ChatEventBus } from '../events/chat-events';
import type { MessageDto } from '../messages/dto/message-response.dto';
import type { MessageEvent, MessageReplay } from './message-replay';
import { RealtimeConnection, RealtimeTransport } from './realtime-connection';
import { isStreamChatEvent } from './realtime-contract';

const CONV = '6f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f';
const OTHER = '7f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f';
const candidate: ChatActor = { id: 'c1', role: 'candidato', full_name: 'C', kind: 'candidate' };

const message = (conversationId: string, seq: number, candidateUserId = 'c1'): MessageEvent => ({
  name: 'message.created',
  candidate_user_id: candidateUserId,
  data: { conversation_id: conversationId, message: { id: `m${seq}`, conversation_id: conversationId, seq } as MessageDto },
});

/** A database holding messages 1..n of CONV. */
function fakeReplay(n: () => number): MessageReplay {
  const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => message(CONV, from + i));
  return {
    missed: async (since: ReadonlyMap<string, number>) => ({ events: since.has(CONV) ? range(since.get(CONV)! + 1, n()) : [], tooMany: [] }),
    between: async (_c: string, _u: string, after: number, before: number) => range(after + 1, before - 1),
  } as unknown as MessageReplay;
}

function recorder(): RealtimeTransport & { sent: { name: string; data: any; id: string }[] } {
  const sent: { name: string; data: any; id: string }[] = [];
  return { sent, send: (name, data, id) => sent.push({ name, data, id }), heartbeat: () => undefined, close: () => undefined };
}

const seqs = (transport: ReturnType<typeof recorder>) => transport.sent.filter((e) => e.name === 'message.created').map((e) => e.data.message.seq);
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RealtimeConnection', () => {
  it('replays from the database, buffers live events meanwhile, and drops the overlap', async () => {
    let stored = 5;
    const transport = recorder();
    const connection = new RealtimeConnection(
      candidate,
      transport,
      fakeReplay(() => stored),
      { [CONV]: 2 },
    );
    const started = connection.start({ heartbeatMs: 1000, retryMs: 1000 });
    stored = 6;
    connection.deliver(message(CONV, 5)); // arrives during the replay: duplicate of a replayed one
    connection.deliver(message(CONV, 6));
    await started;
    await flush();
    expect(seqs(transport)).toEqual([3, 4, 5, 6]);
    expect(transport.sent.find((e) => e.name === 'ready')?.data).toMatchObject({ conversation_id: null, replayed: 3, resync: true });
    expect(transport.sent.at(-1)?.id).toBe(`${CONV}:6`);
  });

  it('fills a hole in the live stream from the database before the event that revealed it', async () => {
    const transport = recorder();
    const connection = new RealtimeConnection(
      candidate,
      transport,
      fakeReplay(() => 9),
      { [CONV]: 1 },
    );
    await connection.start({ heartbeatMs: 1000, retryMs: 1000 });
    connection.deliver(message(CONV, 10)); // the replay already sent 2..9
    connection.deliver(message(CONV, 13)); // 11 and 12 were lost by the broker
    connection.deliver(message(CONV, 12)); // late duplicate
    connection.deliver(message(CONV, 14));
    await flush();
    await flush();
    expect(seqs(transport)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('never delivers another candidate’s events', async () => {
    const transport = recorder();
    const connection = new RealtimeConnection(
      candidate,
      transport,
      fakeReplay(() => 0),
      {},
    );
    await connection.start({ heartbeatMs: 1000, retryMs: 1000 });
    connection.deliver(message(OTHER, 1, 'c2'));
    connection.deliver(message(CONV, 1));
    expect(transport.sent.map((e) => [e.name, e.data.conversation_id])).toEqual([
      ['ready', null],
      ['message.created', CONV],
    ]);
  });

  it('takes stream events only: typing and presence do not type-check (they go to socket rooms)', () => {
    const connection = new RealtimeConnection(
      candidate,
      recorder(),
      fakeReplay(() => 0),
      {},
    );
    const typing: ChatEvent = { name: 'typing', candidate_user_id: 'c1', data: { conversation_id: CONV, user_id: 's1', full_name: 'x', is_typing: true } };
    const presence: ChatEvent = { name: 'presence', candidate_user_id: 'c1', data: { conversation_id: CONV, user_id: 's1', online: true, last_seen_at: null } };
    const bus = new ChatEventBus();
    // Compile-time checks (`tsc -p libs/chat-domain/tsconfig.spec.json`); never called.
    const neverCalled = () => {
      // @ts-expect-error typing is not a stream event
      connection.deliver(typing);
      // @ts-expect-error presence is not a stream event
      bus.publish(presence);
    };
    expect(neverCalled).toBeInstanceOf(Function);
    expect([typing, presence].map(isStreamChatEvent)).toEqual([false, false]);
    expect(isStreamChatEvent(message(CONV, 1))).toBe(true);
    const notified: ChatEvent = {
      name: 'staff.notified',
      candidate_user_id: 'c1',
      data: { conversation_id: CONV, user_ids: ['s1'], reason: 'mention', by: { id: 's2', full_name: 'S' }, note: 'hola', seq: 2 },
    };
    expect(isStreamChatEvent(notified)).toBe(true);
    // Compiles: staff.notified is a stream event (it travels through the bus, broker and hub).
    const deliversStaffNotified = () => connection.deliver(notified);
    expect(deliversStaffNotified).toBeInstanceOf(Function);
  });

  it('a conversation created while connected: a message that overtakes an earlier one fills the hole, nothing is lost', async () => {
    const transport = recorder();
    const connection = new RealtimeConnection(
      candidate,
      transport,
      fakeReplay(() => 2),
      {},
    );
    await connection.start({ heartbeatMs: 1000, retryMs: 1000 });
    connection.deliver({ name: 'conversation.created', candidate_user_id: 'c1', data: { conversation_id: CONV, conversation: {} as never } });
    connection.deliver(message(CONV, 2)); // published on this instance; 1 is still on its way from another one
    await flush();
    connection.deliver(message(CONV, 1));
    await flush();
    expect(seqs(transport)).toEqual([1, 2]);
  });
});
