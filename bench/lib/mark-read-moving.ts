import { AutocannonClient } from './measure';
import { conversationId, messageId } from './ids';

const API = '/api/support/chat';

/**
 * A mark-read whose marker moves on every request: a reader new to the deep conversation (conversation 0,
 * `deep` messages) marks its messages read one by one, as when messages keep arriving in an open
 * conversation (one UPDATE per request). Returns the path and the autocannon `setupClient` for one
 * connection; the position is kept by the returned closure, so it carries over from the warm-up into the
 * measured run. It starts after `readSeq`, the reader's marker in that conversation (0 when new to it); past
 * the last message (smoke sizes only) the marker stays there.
 */
export function markDeepMessagesOneByOne(token: string, deep: number, readSeq = 0): { path: string; setupClient: (client: AutocannonClient) => void } {
  const path = `${API}/conversations/${conversationId(0)}/read`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let marked = readSeq;
  const setupClient = (client: AutocannonClient) => {
    const next = () =>
      client.setRequests([{ method: 'POST', path, headers, body: JSON.stringify({ last_message_id: messageId(0, Math.min(1 + marked, deep)) }) }]);
    next();
    client.on('response', () => {
      marked++;
      next();
    });
  };
  return { path, setupClient };
}
