import { REALTIME_EVENT_NAMES as SERVER_EVENT_NAMES } from '../../../../../../libs/chat-domain/src/realtime/realtime-contract';
import { REALTIME_EVENT_NAMES } from './realtime-events';

/**
 * `realtime-events.ts` mirrors the server's contract (its message and conversation payloads are the
 * generated API models, kept in step by the client drift check). The server's file holds only types and
 * plain constants, so the web tests can import it: a new or renamed event on either side fails here.
 */
describe('realtime wire contract', () => {
  it('the web client listens to exactly the events the server sends', () => {
    expect([...REALTIME_EVENT_NAMES].sort()).toEqual([...SERVER_EVENT_NAMES].sort());
  });
});
