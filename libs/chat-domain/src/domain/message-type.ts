export const MESSAGE_TYPES = ['text', 'attachment', 'system', 'note'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/**
 * Timeline entries only staff ever see (internal notes): every candidate path (history, cursors, list
 * preview, unread counts, events, replay, search, exports, counts) skips them.
 */
export const STAFF_ONLY_MESSAGE_TYPES: readonly MessageType[] = ['note'];
