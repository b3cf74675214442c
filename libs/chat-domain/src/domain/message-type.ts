export const MESSAGE_TYPES = ['text', 'attachment', 'system'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
