import type { MessageDto } from '@app/api/models';

/**
 * Merges messages into a timeline ordered by `seq` (the API's gap-free position), keeping one copy per
 * id. Arrival order does not matter: a poll, a send response and (later) a realtime event may deliver
 * the same message in any order. Returns `current` itself when nothing new was added.
 */
export function mergeMessages(current: readonly MessageDto[], incoming: readonly MessageDto[]): readonly MessageDto[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((message) => [message.id, message]));
  let changed = false;
  for (const message of incoming) {
    const known = byId.get(message.id);
    if (!known || known.edited_at !== message.edited_at) {
      byId.set(message.id, message);
      changed = true;
    }
  }
  if (!changed) return current;
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The highest `seq` up to which the timeline has no hole, starting at its oldest message: the cursor
 * for `after_seq`. A message pushed ahead of a hole (seq 10 while 8 and 9 are missing) does not move it.
 */
export function contiguousSeq(messages: readonly MessageDto[]): number {
  if (messages.length === 0) return 0;
  let seq = messages[0].seq;
  for (let i = 1; i < messages.length && messages[i].seq === seq + 1; i++) seq = messages[i].seq;
  return seq;
}

/** A random UUID v4, also outside secure contexts (where `crypto.randomUUID` is missing). */
export function newClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
