import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import type { ChatActor } from '../auth/chat-actor';
import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { SupportAuditEventEntity } from '../persistence/entities';
import { AuditCursor, AuditFilter, AuditRepository } from '../persistence/repositories';
import { UserLookup } from '../users/user-lookup';
import type { AuditAction } from './audit-actions';
import { AuditPolicy } from './audit.policy';
import { AuditEventDto, AuditEventPageDto, AuditEventsQueryDto } from './dto/audit.dto';
import { csvRow } from '../domain/csv';

/** One staff action as the trail records it. `before`/`after` hold only what the action changed. */
export interface AuditEntry {
  actor: Pick<ChatActor, 'id' | 'role'>;
  action: AuditAction;
  conversationId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Defaults to now. */
  at?: Date;
}

/** Entries per page of `GET /audit-events`. */
export const AUDIT_PAGE_SIZE = 50;
/** Entries read per query while the CSV export streams (memory stays flat whatever the range). */
export const AUDIT_EXPORT_BATCH = 500;

const EARLIEST = new Date('1970-01-01T00:00:00.000Z');
const LATEST = new Date('9999-12-31T00:00:00.000Z');
const UNKNOWN_USER_NAME = 'Usuario no disponible';

export const AUDIT_CSV_HEADER = ['fecha_utc', 'usuario_id', 'usuario', 'rol', 'accion', 'conversacion_id', 'antes', 'despues'];

/**
 * The audit trail of staff actions: append-only (`record` is the only write, and the repository has no
 * update or delete), read by supervisors and `SUPPORT_CHAT_AUDIT_ROLES`.
 *
 * ```ts
 * await this.transactions.run(async (manager) => {
 *   await this.repository.doTheChange(manager, ...);
 *   await this.audit.record(manager, { actor, action: 'labels.changed', conversationId, before, after });
 * });
 * ```
 * Always inside the action's own transaction: the entry commits with the action or not at all.
 */
@Injectable()
export class ChatAuditTrail {
  constructor(
    @Inject(SUPPORT_CHAT_CONFIG) private readonly config: SupportChatConfig,
    private readonly repository: AuditRepository,
    private readonly users: UserLookup,
  ) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const row = Object.assign(new SupportAuditEventEntity(), {
      id: randomUUID(),
      occurredAt: entry.at ?? new Date(),
      actorUserId: entry.actor.id,
      actorRole: entry.actor.role,
      action: entry.action,
      conversationId: entry.conversationId ?? null,
      beforeJson: entry.before ? JSON.stringify(entry.before) : null,
      afterJson: entry.after ? JSON.stringify(entry.after) : null,
    });
    await this.repository.append(manager, row);
  }

  /** One page, newest first, with the cursor of the next one. */
  async page(actor: ChatActor, query: AuditEventsQueryDto): Promise<AuditEventPageDto> {
    AuditPolicy.assertCanAudit(actor, this.config);
    const rows = await this.repository.page(toFilter(query), decodeCursor(query.cursor), AUDIT_PAGE_SIZE + 1);
    const events = await this.present(rows.slice(0, AUDIT_PAGE_SIZE));
    const last = rows.length > AUDIT_PAGE_SIZE ? rows[AUDIT_PAGE_SIZE - 1] : null;
    return { events, next_cursor: last ? encodeCursor(last) : null };
  }

  /** Checks access before the response starts, so a refusal is a normal 403, not a broken download. */
  assertCanExport(actor: ChatActor): void {
    AuditPolicy.assertCanAudit(actor, this.config);
  }

  /**
   * The CSV export of every entry the filters match (`cursor` is ignored), line by line (header first),
   * read in keyset batches. Check `assertCanExport` before the response starts.
   */
  async *csv(actor: ChatActor, query: AuditEventsQueryDto): AsyncGenerator<string> {
    AuditPolicy.assertCanAudit(actor, this.config);
    const filter = toFilter(query);
    // A byte-order mark, so that spreadsheet programs read the accents as UTF-8.
    yield '\uFEFF' + csvRow(AUDIT_CSV_HEADER);
    let cursor: AuditCursor | null = null;
    for (;;) {
      const rows = await this.repository.page(filter, cursor, AUDIT_EXPORT_BATCH);
      for (const event of await this.present(rows)) {
        yield csvRow([
          event.occurred_at,
          event.actor_user_id,
          event.actor_name,
          event.actor_role,
          event.action,
          event.conversation_id ?? '',
          event.before ? JSON.stringify(event.before) : '',
          event.after ? JSON.stringify(event.after) : '',
        ]);
      }
      if (rows.length < AUDIT_EXPORT_BATCH) return;
      const last = rows[rows.length - 1];
      cursor = { occurredAt: last.occurredAt, id: last.id };
    }
  }

  private async present(rows: SupportAuditEventEntity[]): Promise<AuditEventDto[]> {
    const users = await this.users.byIds(rows.map((row) => row.actorUserId));
    return rows.map((row) => ({
      id: row.id,
      occurred_at: row.occurredAt.toISOString(),
      actor_user_id: row.actorUserId,
      actor_name: users.get(row.actorUserId)?.full_name ?? UNKNOWN_USER_NAME,
      actor_role: row.actorRole,
      action: row.action as AuditAction,
      conversation_id: row.conversationId,
      before: parseJson(row.beforeJson),
      after: parseJson(row.afterJson),
    }));
  }
}

function toFilter(query: AuditEventsQueryDto): AuditFilter {
  return {
    actorUserId: query.actor_user_id ?? undefined,
    action: query.action,
    conversationId: query.conversation_id,
    from: query.from ? new Date(query.from) : EARLIEST,
    to: query.to ? new Date(query.to) : LATEST,
  };
}

function encodeCursor(row: SupportAuditEventEntity): string {
  return Buffer.from(JSON.stringify([row.occurredAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): AuditCursor | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const occurredAt = typeof at === 'string' ? new Date(at) : null;
    if (occurredAt && !Number.isNaN(occurredAt.getTime()) && typeof id === 'string' && id.length <= 36) return { occurredAt, id };
  } catch {
    // falls through to the 400 below
  }
  throw new ChatError(ChatErrorCode.InvalidAuditCursor, 'El cursor de la bitácora no es válido; vuelve a la primera página.');
}

function parseJson(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { valor: text };
  }
}
