import type { AuditActionValue, SameMembers } from '@support-chat/chat-contract';

/**
 * What an audit entry records (`@support-chat/chat-contract`'s `AuditActionValue`; the compiler keeps
 * this list equal to it). A feature that adds a staff write adds its action to the contract, then here.
 */
export const AUDIT_ACTIONS = [
  'conversation.created',
  'conversation.assigned',
  'conversation.transferred',
  'conversation.escalated',
  'conversation.returned',
  'conversation.priority_changed',
  'conversation.status_changed',
  'note.created',
  'note.changed',
  'labels.changed',
  'label.created',
  'label.changed',
  'label.deleted',
  'quick_reply.created',
  'quick_reply.changed',
  'quick_reply.deleted',
  'settings.changed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const _actionsMatchContract: SameMembers<AuditAction, AuditActionValue> = true;
