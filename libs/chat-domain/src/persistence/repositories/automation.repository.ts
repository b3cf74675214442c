import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import {
  EmailNotificationStatus,
  SupportChatPreferenceEntity,
  SupportConversationEntity,
  SupportConversationParticipantEntity,
  SupportEmailNotificationEntity,
} from '../entities';
import { isUniqueViolation } from '../chat-transactions';
import { ChatStatements } from './chat-statements';
import { EntityMapper, insertAllColumns } from './compiled-query';
import { defineStatement } from './statement-cache';

/** Conversations (or e-mails) one job run looks at; the next run takes the rest. */
export const AUTOMATION_BATCH = 100;

/**
 * Staff had the last word (their newest message is after the candidate's newest) and nothing happened
 * since `:cutoff`: the conversation waits on the candidate, not on staff.
 */
const WAITING_ON_CANDIDATE = "c.status = 'open' AND c.last_staff_message_seq > c.last_candidate_message_seq AND c.last_message_at < :cutoff";

export const AUTOMATION_STATEMENTS = {
  autoResolveDue: defineStatement({
    name: 'AutomationRepository.autoResolveDue',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .select('c.id', 'id')
        .where(WAITING_ON_CANDIDATE)
        .orderBy('c.last_message_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(AUTOMATION_BATCH),
  }),
  /**
   * The claim: one conditional UPDATE. On server databases it takes the row lock, and a second
   * instance's UPDATE waits for it, then re-reads the committed row, finds it resolved and changes
   * nothing; SQLite serialises writers. So exactly one caller gets `1`.
   */
  claimAutoResolve: defineStatement({
    name: 'AutomationRepository.claimAutoResolve',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        .set({ status: () => "'resolved'" })
        .where('id = :conversationId')
        .andWhere(WAITING_ON_CANDIDATE.replace(/c\./g, '')),
  }),
  /**
   * Conversations whose candidate has staff entries after their read marker, active since `:oldest`,
   * not opted out, and without an e-mail for this window (the marker) yet.
   */
  awayEmailDue: defineStatement({
    name: 'AutomationRepository.awayEmailDue',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .innerJoin(SupportConversationParticipantEntity, 'p', 'p.conversation_id = c.id AND p.user_id = c.candidate_user_id')
        .leftJoin(SupportChatPreferenceEntity, 'pr', 'pr.user_id = c.candidate_user_id')
        .select('c.id', 'conversation_id')
        .addSelect('c.candidate_user_id', 'candidate_user_id')
        .addSelect('c.subject', 'subject')
        .addSelect('p.last_read_seq', 'window_seq')
        .addSelect('c.last_message_seq', 'last_message_seq')
        .where('c.last_message_at >= :oldest')
        .andWhere('c.last_staff_message_seq > p.last_read_seq')
        .andWhere('COALESCE(pr.email_when_away, 1) = 1')
        .andWhere('NOT EXISTS (SELECT 1 FROM support_email_notifications n WHERE n.conversation_id = c.id AND n.window_seq = p.last_read_seq)')
        .orderBy('c.last_message_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(AUTOMATION_BATCH),
  }),
  insertEmail: defineStatement({
    name: 'AutomationRepository.insertEmail',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportEmailNotificationEntity),
  }),
  finishEmail: defineStatement({
    name: 'AutomationRepository.finishEmail',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportEmailNotificationEntity)
        .set({
          status: () => ':status',
          attempts: () => 'attempts + 1',
          sentAt: () => ':sentAt',
          lastError: () => ':lastError',
          updatedAt: () => ':now',
        })
        .where('id = :id'),
  }),
  failedEmails: defineStatement({
    name: 'AutomationRepository.failedEmails',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportEmailNotificationEntity, 'n')
        .where("n.status = 'failed'")
        .andWhere('n.attempts < :maxAttempts')
        .orderBy('n.updated_at', 'ASC')
        .addOrderBy('n.id', 'ASC')
        .limit(AUTOMATION_BATCH),
  }),
  /** Takes a failed e-mail back for another attempt: like the first claim, only one caller wins. */
  reclaimEmail: defineStatement({
    name: 'AutomationRepository.reclaimEmail',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportEmailNotificationEntity)
        .set({ status: () => "'sending'", updatedAt: () => ':now' })
        .where('id = :id')
        .andWhere("status = 'failed'")
        .andWhere('attempts < :maxAttempts'),
  }),
  emailsOfConversation: defineStatement({
    name: 'AutomationRepository.emailsOfConversation',
    shapes: [{}],
    build: (dataSource) =>
      dataSource.createQueryBuilder(SupportEmailNotificationEntity, 'n').where('n.conversation_id = :conversationId').orderBy('n.window_seq', 'ASC'),
  }),
  preference: defineStatement({
    name: 'AutomationRepository.preference',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportChatPreferenceEntity, 'pr').where('pr.user_id = :userId'),
  }),
  updatePreference: defineStatement({
    name: 'AutomationRepository.updatePreference',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportChatPreferenceEntity)
        .set({ emailWhenAway: () => ':emailWhenAway', updatedAt: () => ':updatedAt' })
        .where('user_id = :userId'),
  }),
  insertPreference: defineStatement({
    name: 'AutomationRepository.insertPreference',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportChatPreferenceEntity),
  }),
};

export interface AwayEmailCandidate {
  conversationId: string;
  candidateUserId: string;
  subject: string | null;
  /** The candidate's read marker: the window the e-mail belongs to. */
  windowSeq: number;
  lastMessageSeq: number;
}

/** What the scheduled jobs (auto-resolve, e-mail when away) read and claim, and the users' chat preferences. */
@Injectable()
export class AutomationRepository {
  private mappers: { emails: EntityMapper<SupportEmailNotificationEntity>; preferences: EntityMapper<SupportChatPreferenceEntity> } | undefined;

  constructor(private readonly db: ChatStatements) {}

  /** Open conversations waiting on the candidate since before `cutoff`, oldest first (a batch). */
  async autoResolveDue(cutoff: Date): Promise<string[]> {
    const rows = await this.db.cache.rows<{ id: string }>(AUTOMATION_STATEMENTS.autoResolveDue, {}, { cutoff: this.lastMessageAt(cutoff) });
    return rows.map((row) => row.id);
  }

  /** Marks the conversation resolved if it still waits on the candidate since before `cutoff`; true for the one caller that did. */
  async claimAutoResolve(manager: EntityManager, conversationId: string, cutoff: Date): Promise<boolean> {
    const affected = await this.db.cache.execute(AUTOMATION_STATEMENTS.claimAutoResolve, {}, { conversationId, cutoff: this.lastMessageAt(cutoff) }, manager);
    return affected > 0;
  }

  async awayEmailDue(oldest: Date): Promise<AwayEmailCandidate[]> {
    const rows = await this.db.cache.rows<Record<string, unknown>>(AUTOMATION_STATEMENTS.awayEmailDue, {}, { oldest: this.lastMessageAt(oldest) });
    return rows.map((row) => ({
      conversationId: String(row.conversation_id),
      candidateUserId: String(row.candidate_user_id),
      subject: (row.subject as string | null) ?? null,
      windowSeq: Number(row.window_seq),
      lastMessageSeq: Number(row.last_message_seq),
    }));
  }

  /**
   * Claims the e-mail of a window by inserting its row (autocommit: the unique key on conversation and
   * window decides). False when another run or instance claimed it first.
   */
  async claimEmail(email: SupportEmailNotificationEntity): Promise<boolean> {
    try {
      await this.db.cache.execute(AUTOMATION_STATEMENTS.insertEmail, {}, this.mapper().emails.insertParameters(email));
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async finishEmail(id: string, outcome: { status: EmailNotificationStatus; sentAt: Date | null; lastError: string | null }, now: Date): Promise<void> {
    const emails = this.mapper().emails;
    await this.db.cache.execute(
      AUTOMATION_STATEMENTS.finishEmail,
      {},
      {
        id,
        status: outcome.status,
        sentAt: outcome.sentAt && emails.toColumnValue('sentAt', outcome.sentAt),
        lastError: outcome.lastError?.slice(0, 255) ?? null,
        now: emails.toColumnValue('updatedAt', now),
      },
    );
  }

  async failedEmails(maxAttempts: number): Promise<SupportEmailNotificationEntity[]> {
    const rows = await this.db.cache.rows(AUTOMATION_STATEMENTS.failedEmails, {}, { maxAttempts });
    return rows.map((row) => this.mapper().emails.fromRow(row, 'n'));
  }

  async reclaimEmail(id: string, maxAttempts: number, now: Date): Promise<boolean> {
    return (
      (await this.db.cache.execute(AUTOMATION_STATEMENTS.reclaimEmail, {}, { id, maxAttempts, now: this.mapper().emails.toColumnValue('updatedAt', now) })) > 0
    );
  }

  async emailsOfConversation(conversationId: string): Promise<SupportEmailNotificationEntity[]> {
    const rows = await this.db.cache.rows(AUTOMATION_STATEMENTS.emailsOfConversation, {}, { conversationId });
    return rows.map((row) => this.mapper().emails.fromRow(row, 'n'));
  }

  async preference(userId: string): Promise<SupportChatPreferenceEntity | null> {
    const [row] = await this.db.cache.rows(AUTOMATION_STATEMENTS.preference, {}, { userId });
    return row ? this.mapper().preferences.fromRow(row, 'pr') : null;
  }

  /** Update, else insert (and if a simultaneous request inserted first, update). */
  async savePreference(preference: SupportChatPreferenceEntity): Promise<void> {
    const preferences = this.mapper().preferences;
    const update = () =>
      this.db.cache.execute(
        AUTOMATION_STATEMENTS.updatePreference,
        {},
        {
          userId: preference.userId,
          emailWhenAway: preference.emailWhenAway,
          updatedAt: preferences.toColumnValue('updatedAt', preference.updatedAt),
        },
      );
    if ((await update()) > 0) return;
    try {
      await this.db.cache.execute(AUTOMATION_STATEMENTS.insertPreference, {}, preferences.insertParameters(preference));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await update();
    }
  }

  private lastMessageAt(date: Date): unknown {
    return this.db.conversations.toColumnValue('lastMessageAt', date);
  }

  private mapper(): NonNullable<AutomationRepository['mappers']> {
    this.mappers ??= {
      emails: new EntityMapper(this.db.dataSource, SupportEmailNotificationEntity),
      preferences: new EntityMapper(this.db.dataSource, SupportChatPreferenceEntity),
    };
    return this.mappers;
  }
}
