export const MESSAGE_TYPES = ['text', 'attachment', 'system', 'note'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Entries only staff ever see (internal notes): never shown to, or found by, a candidate. */
export const STAFF_ONLY_MESSAGE_TYPES: readonly MessageType[] = ['note'];
