export const CONVERSATION_STATUSES = ['open', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const CONVERSATION_PRIORITIES = ['low', 'normal', 'high'] as const;
export type ConversationPriority = (typeof CONVERSATION_PRIORITIES)[number];

/** Statuses a candidate may set on their own conversations. Staff may set any. */
export const CANDIDATE_SETTABLE_STATUSES: readonly ConversationStatus[] = ['open', 'resolved'];

export const PARTICIPANT_ROLES = ['candidate', 'support'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];
