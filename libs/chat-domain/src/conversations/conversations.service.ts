import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import { AuditPolicy } from '../audit/audit.policy';
import { ChatAuditTrail } from '../audit/chat-audit-trail';
import { ChatActor, isSupervisor } from '../auth/chat-actor';
import { ChatMeDto, toChatMeDto } from '../auth/dto/chat-me.dto';
import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ChatEventBus, ConversationChange } from '../events/chat-events';
import { SUPPORT_CHAT_LIMITS_CONFIG, type SupportChatLimitsConfig } from '../limits/abuse-limits.config';
import { toMessageDto } from '../messages/dto/message-response.dto';
import { characterCount } from '../domain/character-count';
import { SYSTEM_SENDER, SYSTEM_SENDER_ID } from '../domain/system-sender';
import { ChatTransactions } from '../persistence/chat-transactions';
import { SupportConversationEntity, SupportMessageEntity } from '../persistence/entities';
import {
  AutomationRepository,
  ConversationRepository,
  InboxFilter,
  LabelRepository,
  NewTimelineEntry,
  ParticipantRepository,
  RatingRepository,
  ReadStateRepository,
  TimelineRepository,
} from '../persistence/repositories';
import { toRatingDto } from '../csat/dto/rating.dto';
import { UserLookup } from '../users/user-lookup';
import { ConversationPolicy, STATUS_LABELS } from './conversation.policy';
import { ConversationStatus } from '../domain/conversation-status';
import { toLabelDto } from './dto/conversation-label.dto';
import { ConversationDto, ConversationListDto, staffOnlyFields, toConversationDto } from './dto/conversation-response.dto';
import { CreateConversationDto, ListConversationsQueryDto, UpdateConversationDto } from './dto/conversation-requests.dto';

/** Candidate search in the inbox looks at this many matching users at most. */
const SEARCH_USER_LIMIT = 200;

@Injectable()
export class ConversationsService {
  constructor(
    @Inject(SUPPORT_CHAT_CONFIG) private readonly config: SupportChatConfig,
    private readonly transactions: ChatTransactions,
    private readonly conversations: ConversationRepository,
    private readonly participants: ParticipantRepository,
    private readonly timeline: TimelineRepository,
    private readonly readState: ReadStateRepository,
    private readonly labels: LabelRepository,
    private readonly users: UserLookup,
    private readonly events: ChatEventBus,
    @Inject(SUPPORT_CHAT_LIMITS_CONFIG) private readonly limits: SupportChatLimitsConfig,
    private readonly ratings: RatingRepository,
    private readonly automation: AutomationRepository,
    private readonly audit: ChatAuditTrail,
  ) {}

  /** The caller's side of the chat and what the server lets them do that a client cannot infer (`GET /me`). */
  describeActor(actor: ChatActor): ChatMeDto {
    return toChatMeDto(actor, {
      canReopenClosed: !isSupervisor(actor) && ConversationPolicy.canReopenClosed(actor, this.config),
      canAudit: AuditPolicy.canAudit(actor, this.config),
    });
  }

  /** Loads a conversation the actor may see, or answers 404. */
  async findVisible(actor: ChatActor, conversationId: string, manager?: EntityManager): Promise<SupportConversationEntity> {
    const conversation = await this.conversations.byId(conversationId, manager);
    return ConversationPolicy.assertVisible(actor, conversation);
  }

  async get(actor: ChatActor, conversationId: string): Promise<ConversationDto> {
    const conversation = await this.findVisible(actor, conversationId);
    const dto = await this.present(conversation, actor);
    if (actor.kind !== 'staff') return dto;
    const latest = (await this.ratings.latestOf([conversation.id])).get(conversation.id);
    return { ...dto, latest_rating: latest ? toRatingDto(latest) : null };
  }

  async create(actor: ChatActor, input: CreateConversationDto): Promise<ConversationDto> {
    ConversationPolicy.assertNotSupervisor(actor);
    const subject = input.subject ? input.subject : null;
    if (subject && characterCount(subject) > this.config.maxSubjectLength) {
      throw new ChatError(ChatErrorCode.SubjectTooLong, `El asunto supera los ${this.config.maxSubjectLength} caracteres.`, HttpStatus.BAD_REQUEST, [
        { field: 'subject', code: ChatErrorCode.SubjectTooLong, message: `El asunto supera los ${this.config.maxSubjectLength} caracteres.` },
      ]);
    }
    const candidateUserId = await this.resolveCandidate(actor, input);
    if (input.priority && actor.kind !== 'staff') {
      throw new ChatError(ChatErrorCode.PriorityForbidden, 'Solo el equipo de soporte puede fijar la prioridad.', HttpStatus.FORBIDDEN);
    }

    const now = new Date();
    const conversation = Object.assign(new SupportConversationEntity(), {
      id: randomUUID(),
      candidateUserId,
      createdByUserId: actor.id,
      assignedSupportUserId: null,
      subject,
      status: 'open',
      priority: input.priority ?? 'normal',
      createdAt: now,
      updatedAt: now,
      lastMessageAt: now,
      lastMessageSeq: 0,
      lastCandidateMessageSeq: 0,
      lastStaffMessageSeq: 0,
      unansweredCandidateMessages: 0,
      firstCandidateMessageAt: null,
      firstResponseAt: null,
      resolutionCount: 0,
      resolvedAt: null,
      arrivedOutsideHours: 0,
      autoReplyPeriod: null,
      latestRating: null,
      lastVisibleMessageSeq: 0,
      waitingSince: null,
      handlingTier: 'agent',
      escalatedAt: null,
    });
    await this.transactions.run(async (manager) => {
      if (actor.kind === 'candidate') await this.assertBelowOpenLimit(manager, candidateUserId);
      await this.conversations.insert(manager, conversation);
      await this.participants.insertCandidate(manager, conversation.id, candidateUserId, now);
      if (actor.kind === 'staff') {
        await this.participants.ensure(manager, conversation.id, actor, now);
        await this.audit.record(manager, {
          actor,
          action: 'conversation.created',
          conversationId: conversation.id,
          after: { candidate_user_id: candidateUserId, subject, priority: conversation.priority, status: 'open' },
          at: now,
        });
      }
    });

    const dto = await this.present(conversation, actor);
    this.events.publish({
      name: 'conversation.created',
      candidate_user_id: candidateUserId,
      data: { conversation_id: conversation.id, conversation: await this.present(conversation, null) },
    });
    return dto;
  }

  /**
   * A page of the inbox. Polling clients send back the ETag they got: the page's own rows and the
   * total (two cheap queries) are the version of everything the page shows, and when it matches the
   * list is not built any further (`list: null`, answered as 304).
   */
  async list(actor: ChatActor, query: ListConversationsQueryDto, ifNoneMatch?: string): Promise<{ etag: string; list: ConversationListDto | null }> {
    const page = query.page ?? 1;
    const perPage = query.per_page ?? 20;
    const scope = actor.kind === 'candidate' ? 'candidate' : query.unassigned ? 'unassigned' : query.assigned_to_me ? 'assigned' : 'all';
    const filter: InboxFilter = { scope, actorId: actor.id, status: query.status, search: 'none' };
    if (query.label_id !== undefined) {
      ConversationPolicy.assertStaffReader(actor, 'filtrar por etiqueta');
      filter.labelId = query.label_id;
    }
    if (query.tier && actor.kind === 'staff') filter.tier = query.tier;
    if (query.search && actor.kind === 'staff') {
      const matches = await this.users.searchIds(query.search, this.config.candidateRoles, SEARCH_USER_LIMIT);
      filter.pattern = `%${escapeLike(query.search.toLowerCase())}%`;
      filter.matchIds = matches.map((user) => user.id);
      filter.search = matches.length > 0 ? 'subject or candidate' : 'subject';
    }

    // The page, read raw with the reader's own read marker, and the total. Everything the page shows
    // derives from these rows, so they are also its version: a poll that matches costs these two queries
    // and builds nothing.
    const { rows: pageRows, total } = await this.conversations.inboxPage(filter, { perPage, offset: (page - 1) * perPage });
    const etag = listEtag(
      actor,
      query,
      total,
      pageRows.map((row) => [...PAGE_VERSION_KEYS[actor.kind].map((key) => row[key]), row.my_read_seq]),
    );
    if (ifNoneMatch && ifNoneMatch === etag) return { etag, list: null };

    const conversations = pageRows.map((row) => this.conversations.fromInboxRow(row));
    const ids = conversations.map((conversation) => conversation.id);
    // Supervisors' reading is not tracked (`ReadStateService`): nothing is unread for them.
    const [lastMessages, unreadCounts, labels] = await Promise.all([
      this.timeline.lastEntries(ids, actor.kind),
      isSupervisor(actor) ? new Map<string, number>() : this.readState.unreadByConversation(actor, ids),
      // Staff only (candidates never see labels): one query for the whole page.
      actor.kind === 'staff' && ids.length > 0 ? this.labels.ofConversations(ids) : null,
    ]);
    const users = await this.users.byIds(
      conversations.flatMap((c) => [c.candidateUserId, c.assignedSupportUserId]).concat([...lastMessages.values()].map((m) => m.senderUserId)),
    );

    const list: ConversationListDto = {
      conversations: conversations.map((conversation) => {
        const last = lastMessages.get(conversation.id);
        return {
          ...toConversationDto(conversation, users, actor),
          ...(labels ? { labels: (labels.get(conversation.id) ?? []).map(toLabelDto) } : {}),
          last_message: last ? toMessageDto(last, users.get(last.senderUserId), actor) : null,
          unread_count: unreadCounts.get(conversation.id) ?? 0,
        };
      }),
      page,
      per_page: perPage,
      total,
      pages: Math.ceil(total / perPage),
    };
    return { etag, list };
  }

  async updateStatus(actor: ChatActor, conversationId: string, status: ConversationStatus): Promise<ConversationDto> {
    ConversationPolicy.assertNotSupervisor(actor);
    const before = await this.findVisible(actor, conversationId);
    ConversationPolicy.assertCanSetStatus(actor, before, status, this.config);
    if (before.status === status) return this.present(before, actor);

    const { conversation, message } = await this.transactions.run(async (manager) => {
      let current = await this.findVisible(actor, conversationId, manager);
      // As when a message reopens it (`MessagesService.send`): look again under the open-limit lock, a
      // simultaneous request may have reopened it already.
      const reopens = actor.kind === 'candidate' && status === 'open' && current.status !== 'open';
      if (reopens) {
        await this.lockOpenConversationLimit(manager, current.candidateUserId);
        current = await this.findVisible(actor, conversationId, manager);
      }
      ConversationPolicy.assertCanSetStatus(actor, current, status, this.config);
      if (current.status === status) return { conversation: current, message: null };
      if (reopens) await this.assertBelowOpenLimit(manager, current.candidateUserId, true);
      return this.recordStatusChange(manager, current, actor, status, `${actor.full_name} marcó la conversación como ${STATUS_LABELS[status]}.`);
    });

    if (message) await this.publishUpdate(conversation, message, ['status']);
    return this.present(conversation, actor);
  }

  /**
   * Auto-resolve (issue 17): resolves the conversation as `SYSTEM_ACTOR` if it still waits on the
   * candidate since before `cutoff`. The claim is a conditional UPDATE (`AutomationRepository.claimAutoResolve`),
   * so when several instances race exactly one resolves it and writes the system line, in the same
   * transaction; then it goes through the same status-change path as a person's change. False when the
   * conversation no longer qualifies (the candidate wrote, someone resolved it, another instance won).
   */
  async resolveForInactivity(conversationId: string, cutoff: Date): Promise<boolean> {
    const result = await this.transactions.run(async (manager) => {
      if (!(await this.automation.claimAutoResolve(manager, conversationId, cutoff))) return null;
      const current = await this.conversations.byId(conversationId, manager);
      if (!current) return null;
      return this.recordStatusChange(manager, current, SYSTEM_ACTOR, 'resolved', AUTO_RESOLVE_LINE);
    });
    if (!result) return false;
    await this.publishUpdate(result.conversation, result.message, ['status']);
    return true;
  }

  /** The one place a status change is written: the `system` line that sets the status, in the caller's transaction. */
  private async recordStatusChange(
    manager: EntityManager,
    current: SupportConversationEntity,
    actor: ChatActor,
    status: ConversationStatus,
    line: string,
  ): Promise<{ conversation: SupportConversationEntity; message: SupportMessageEntity }> {
    const appended = await this.timeline.append(manager, current.id, actor, systemLine(line, status));
    if (actor.kind === 'staff') {
      await this.audit.record(manager, {
        actor,
        action: 'conversation.status_changed',
        conversationId: current.id,
        before: { status: current.status },
        after: { status },
      });
    }
    return { conversation: appended.conversation, message: appended.message };
  }

  /** Staff: assign (or unassign with `null`) and change priority. */
  async update(actor: ChatActor, conversationId: string, input: UpdateConversationDto): Promise<ConversationDto> {
    await this.findVisible(actor, conversationId);
    ConversationPolicy.assertStaff(actor, 'cambiar la asignación o la prioridad');
    const changes: ConversationChange[] = [];
    const patch: Partial<SupportConversationEntity> = {};
    if (input.assigned_support_user_id !== undefined) {
      const assignee = input.assigned_support_user_id;
      if (assignee !== null) {
        const user = assignee === actor.id ? { role: actor.role, is_active: true } : await this.users.findById(assignee);
        if (!user || !user.is_active || !this.config.staffRoles.includes(user.role)) {
          throw new ChatError(ChatErrorCode.AssigneeNotStaff, 'Solo se puede asignar a un miembro activo del equipo de soporte.', HttpStatus.BAD_REQUEST);
        }
      }
      patch.assignedSupportUserId = assignee;
      changes.push('assignment');
    }
    if (input.priority !== undefined) {
      patch.priority = input.priority;
      changes.push('priority');
    }
    const conversation = await this.transactions.run(async (manager) => {
      const current = await this.findVisible(actor, conversationId, manager);
      if (changes.length === 0) return current;
      const updated = { ...current, ...patch, updatedAt: new Date() };
      await this.conversations.updateAssignmentAndPriority(manager, current.id, patch, updated.updatedAt);
      if (patch.assignedSupportUserId) {
        await this.participants.ensure(manager, current.id, { id: patch.assignedSupportUserId, kind: 'staff' }, updated.updatedAt);
      }
      // One entry per field that really changed, written in this transaction (no change without its entry).
      if ('assignedSupportUserId' in patch && patch.assignedSupportUserId !== current.assignedSupportUserId) {
        await this.audit.record(manager, {
          actor,
          action: 'conversation.assigned',
          conversationId: current.id,
          before: { assigned_support_user_id: current.assignedSupportUserId },
          after: { assigned_support_user_id: patch.assignedSupportUserId ?? null },
          at: updated.updatedAt,
        });
      }
      if (patch.priority !== undefined && patch.priority !== current.priority) {
        await this.audit.record(manager, {
          actor,
          action: 'conversation.priority_changed',
          conversationId: current.id,
          before: { priority: current.priority },
          after: { priority: patch.priority },
          at: updated.updatedAt,
        });
      }
      return Object.assign(new SupportConversationEntity(), updated);
    });
    if (changes.length > 0) await this.publishUpdate(conversation, null, changes);
    return this.present(conversation, actor);
  }

  /**
   * The conversation as `viewer` sees it; `null` builds the contact-free view used in events, with the
   * staff-only fields (`STAFF_ONLY_CONVERSATION_FIELDS`), which delivery removes for candidates (`ChatAudience.dataFor`).
   */
  async present(conversation: SupportConversationEntity, viewer: ChatActor | null): Promise<ConversationDto> {
    const users = await this.users.byIds([conversation.candidateUserId, conversation.assignedSupportUserId]);
    if (viewer?.kind === 'staff') return { ...toConversationDto(conversation, users, viewer), labels: await this.labelsOf(conversation.id) };
    if (viewer) return toConversationDto(conversation, users, viewer);
    // Events carry the candidate's view plus the staff-only fields, which delivery removes for candidates.
    return { ...toConversationDto(conversation, users, EVENT_VIEWER), ...staffOnlyFields(conversation), last_message_seq: conversation.lastMessageSeq };
  }

  /** The conversation's labels, for staff views and the staff-only label events. */
  async labelsOf(conversationId: string): Promise<ConversationDto['labels'] & object> {
    return ((await this.labels.ofConversations([conversationId])).get(conversationId) ?? []).map(toLabelDto);
  }

  /**
   * Abuse brake: a candidate may hold at most `maxOpenConversationsPerCandidate` open conversations, checked
   * when they open or reopen one, by status change or by writing into a resolved one (staff acting for a
   * candidate are not limited). Call it before the transaction takes any other lock.
   *
   * Server databases run write transactions in parallel under READ COMMITTED: two requests (messages into
   * two resolved conversations, say) each counted the other's conversation as not open and both opened
   * theirs. So the check first locks one row per candidate, their first conversation (`SELECT ... FOR UPDATE`), and
   * such transactions wait for each other; the count after the lock sees what the one before committed.
   * One row, not all of them: transactions locking several rows each, in whatever order the scan met
   * them, deadlocked on PostgreSQL. SQLite queues writers anyway. A candidate without any conversation
   * has no row to lock: their very first conversations, created at the same instant, can still pass
   * together (the per-hour creation limit bounds them).
   */
  async assertBelowOpenLimit(manager: EntityManager, candidateUserId: string, alreadyLocked = false): Promise<void> {
    const max = this.limits.maxOpenConversationsPerCandidate;
    if (max <= 0) return;
    if (!alreadyLocked) await this.lockOpenConversationLimit(manager, candidateUserId);
    const open = await this.conversations.countOpenOfCandidate(manager, candidateUserId);
    if (open >= max) {
      throw new ChatError(
        ChatErrorCode.OpenConversationLimit,
        `Ya tienes ${open} conversaciones abiertas (máximo ${max}). Marca alguna como resuelta antes de abrir otra.`,
        HttpStatus.CONFLICT,
      );
    }
  }

  /** The lock `assertBelowOpenLimit` counts under: the candidate's first conversation (none while the limit is off). */
  async lockOpenConversationLimit(manager: EntityManager, candidateUserId: string): Promise<void> {
    if (this.limits.maxOpenConversationsPerCandidate <= 0) return;
    await this.conversations.lockFirstOfCandidate(manager, candidateUserId);
  }

  private async resolveCandidate(actor: ChatActor, input: CreateConversationDto): Promise<string> {
    if (actor.kind === 'candidate') {
      if (input.candidate_user_id !== undefined && input.candidate_user_id !== actor.id) {
        throw new ChatError(ChatErrorCode.Forbidden, 'Un candidato solo puede abrir conversaciones para sí mismo.', HttpStatus.FORBIDDEN);
      }
      return actor.id;
    }
    if (!input.candidate_user_id) {
      throw new ChatError(ChatErrorCode.CandidateRequired, 'Indica el candidato ("candidate_user_id") para abrir la conversación.', HttpStatus.BAD_REQUEST, [
        { field: 'candidate_user_id', code: ChatErrorCode.CandidateRequired, message: 'Obligatorio para soporte.' },
      ]);
    }
    const candidate = await this.users.findById(input.candidate_user_id);
    if (!candidate || !candidate.is_active || !this.config.candidateRoles.includes(candidate.role)) {
      throw new ChatError(ChatErrorCode.CandidateNotFound, 'El candidato no existe o no está activo.', HttpStatus.BAD_REQUEST, [
        { field: 'candidate_user_id', code: ChatErrorCode.CandidateNotFound, message: 'El candidato no existe o no está activo.' },
      ]);
    }
    return candidate.id;
  }

  private async publishUpdate(conversation: SupportConversationEntity, message: SupportMessageEntity | null, changes: ConversationChange[]): Promise<void> {
    const view = await this.present(conversation, null);
    if (message) {
      const sender = await this.users.byIds([message.senderUserId]);
      this.events.publish({
        name: 'message.created',
        candidate_user_id: conversation.candidateUserId,
        data: { conversation_id: conversation.id, message: toMessageDto(message, sender.get(message.senderUserId), EVENT_VIEWER) },
      });
    }
    this.events.publish({
      name: 'conversation.updated',
      candidate_user_id: conversation.candidateUserId,
      data: { conversation_id: conversation.id, conversation: view, changes },
    });
  }
}

/** The chat itself as the actor of lines it writes (auto-resolve): the shared system sender, not a host user. */
export const SYSTEM_ACTOR: ChatActor = { id: SYSTEM_SENDER_ID, role: SYSTEM_SENDER.role, full_name: SYSTEM_SENDER.full_name, kind: 'staff' };

/** The timeline line of an auto-resolve (issue 17). */
export const AUTO_RESOLVE_LINE = 'Marcamos la conversación como resuelta por inactividad; escríbenos para reabrirla.';

/** A viewer with no contact-data rights: what events and other shared payloads are built for. */
const EVENT_VIEWER: ChatActor = { id: '', role: '', full_name: '', kind: 'candidate' };

/**
 * Of each row on a page, what can change and is shown (or is what unread counts and previews derive
 * from), per reader: a candidate's version follows the entries they see, so an internal note (which
 * moves only `last_message_seq`) leaves their ETag as it was.
 */
const SHARED_VERSION_COLUMNS = ['id', 'status', 'assigned_support_user_id', 'subject', 'updated_at', 'last_candidate_message_seq', 'last_staff_message_seq'];
const PAGE_VERSION_COLUMNS: Record<ChatActor['kind'], readonly string[]> = {
  candidate: [...SHARED_VERSION_COLUMNS, 'last_visible_message_seq'],
  staff: [...SHARED_VERSION_COLUMNS, 'priority', 'last_message_seq', 'handling_tier', 'escalated_at', 'waiting_since', 'latest_rating'],
};
/** The row keys of `PAGE_VERSION_COLUMNS` (the inbox page selects them as `c_<column>`), built once. */
const PAGE_VERSION_KEYS: Record<ChatActor['kind'], readonly string[]> = {
  candidate: PAGE_VERSION_COLUMNS.candidate.map((column) => `c_${column}`),
  staff: PAGE_VERSION_COLUMNS.staff.map((column) => `c_${column}`),
};

/**
 * A weak validator of one page as the reader sees it, from each row's raw `PAGE_VERSION_COLUMNS` and the
 * reader's marker (`seq` has no gaps, so the message counters identify the messages), with the filter
 * and the total. Values, not timestamps alone: two changes in the same millisecond still differ. User
 * names are not part of it: a renamed user shows up at the next real change.
 */
function listEtag(actor: ChatActor, query: ListConversationsQueryDto, total: number, rows: readonly unknown[][]): string {
  const digest = createHash('sha1')
    .update(JSON.stringify([actor.id, actor.kind, query, total, rows]))
    .digest('base64url');
  return `W/"${digest}"`;
}

/** A `system` timeline line, optionally changing the conversation's status. */
export function systemLine(content: string, status?: ConversationStatus): NewTimelineEntry {
  return { messageType: 'system', content, clientMessageId: randomUUID(), attachment: null, ...(status ? { status } : {}) };
}

/** Escapes LIKE wildcards with `!` (a backslash means different things on MySQL and SQL Server). */
function escapeLike(text: string): string {
  return text.replace(/[!%_[\]]/g, (char) => `!${char}`);
}
