import { HttpStatus } from '@nestjs/common';

import type { ChatActor } from '../auth/chat-actor';
import { ChatError, ChatErrorCode } from '../errors/chat-error';

/** Who reads the audit trail: supervisors, and the staff roles the host names (`SUPPORT_CHAT_AUDIT_ROLES`, default `admin`). */
export const AuditPolicy = {
  canAudit(actor: ChatActor, rules: { auditRoles: readonly string[] }): boolean {
    return actor.supervisor === true || (actor.kind === 'staff' && rules.auditRoles.includes(actor.role));
  },

  assertCanAudit(actor: ChatActor, rules: { auditRoles: readonly string[] }): void {
    if (!AuditPolicy.canAudit(actor, rules)) {
      throw new ChatError(ChatErrorCode.AuditForbidden, 'Solo supervisión y administración pueden consultar la bitácora de auditoría.', HttpStatus.FORBIDDEN);
    }
  },
};
