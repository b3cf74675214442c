/**
 * The audit trail of staff actions (`GET /support/chat/audit-events`): what each entry's `action` names.
 * A feature that adds a staff write adds its action here first; the server's `AuditAction` and the web's
 * labels are checked against this list by the compiler.
 */
export type AuditActionValue =
  /** Staff opened a conversation for a candidate. */
  | 'conversation.created'
  /** Assigned, unassigned or reassigned (`before`/`after`: `assigned_support_user_id`). */
  | 'conversation.assigned'
  /** Transferred to another agent or team. */
  | 'conversation.transferred'
  /** Escalated to another tier. */
  | 'conversation.escalated'
  /** An escalated conversation was given back to the agents' tier. */
  | 'conversation.returned'
  | 'conversation.priority_changed'
  | 'conversation.status_changed'
  /** An internal note was written or changed. */
  | 'note.created'
  | 'note.changed'
  | 'labels.changed'
  /** An admin created, changed or deleted a label (the catalogue, not a conversation's labels). */
  | 'label.created'
  | 'label.changed'
  | 'label.deleted'
  | 'quick_reply.created'
  | 'quick_reply.changed'
  | 'quick_reply.deleted'
  | 'settings.changed';
