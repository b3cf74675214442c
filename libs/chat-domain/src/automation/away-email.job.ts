import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { CandidateActivity } from '../auth/candidate-activity';
import { SUPPORT_CHAT_CONFIG, type SupportChatConfig } from '../config/support-chat.config';
import { SupportEmailNotificationEntity, SupportMessageEntity } from '../persistence/entities';
import { AutomationRepository, AwayEmailCandidate, ConversationRepository, TimelineRepository } from '../persistence/repositories';
import { UserLookup } from '../users/user-lookup';
import { SUPPORT_CHAT_AUTOMATION_CONFIG, type SupportChatAutomationConfig } from './automation.config';
import { renderAwayEmail } from './away-email';
import { CHAT_NOTIFIER, ChatEmail, type ChatNotifier } from './chat-notifier';
import { IntervalJob } from './interval-job';

/** Message types that are replies to a candidate: never `system` lines, never staff-only notes. */
const EMAILED_TYPES: readonly string[] = ['text', 'attachment'];
/** At most this many replies are quoted in one e-mail. */
const MAX_QUOTED_REPLIES = 5;

/**
 * E-mail when away (issue 17): a staff reply still unread by the candidate after
 * `SUPPORT_CHAT_EMAIL_AWAY_AFTER` (0 disables), while the candidate has no tab open
 * (`CandidateActivity`), gets one e-mail through the host's `ChatNotifier`, with the unread replies
 * and a link back. One per conversation and window: the window is the candidate's read marker, and the
 * outbox row (`support_email_notifications`, unique on conversation and window) is inserted before
 * sending, so a retried run or a second instance never sends it again. Candidates may opt out
 * (`support_chat_preferences`).
 */
@Injectable()
export class AwayEmailJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AwayEmailJob');
  private readonly job = new IntervalJob('Away e-mail', this.logger);

  constructor(
    @Inject(SUPPORT_CHAT_AUTOMATION_CONFIG) private readonly config: SupportChatAutomationConfig,
    @Inject(SUPPORT_CHAT_CONFIG) private readonly chatConfig: SupportChatConfig,
    @Inject(CHAT_NOTIFIER) private readonly notifier: ChatNotifier,
    private readonly automation: AutomationRepository,
    private readonly timeline: TimelineRepository,
    private readonly conversations: ConversationRepository,
    private readonly users: UserLookup,
    private readonly activity: CandidateActivity,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.emailAwayAfterMs > 0) this.job.start(this.config.emailAwayCheckIntervalMs, () => this.runOnce());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One pass: retries failed e-mails, then e-mails every window that became due. Returns how many were sent. */
  async runOnce(now: Date = new Date()): Promise<number> {
    if (this.config.emailAwayAfterMs <= 0) return 0;
    let sent = await this.retryFailed(now);
    const due = await this.automation.awayEmailDue(new Date(now.getTime() - this.config.emailAwayMaxAgeMs));
    for (const candidate of due) if (await this.consider(candidate, now)) sent++;
    return sent;
  }

  private async consider(due: AwayEmailCandidate, now: Date): Promise<boolean> {
    const entries = await this.timeline.range(due.conversationId, due.windowSeq + 1, due.lastMessageSeq);
    const replies = entries.filter((entry) => EMAILED_TYPES.includes(entry.messageType) && entry.senderUserId !== due.candidateUserId);
    const first = replies[0];
    // Only notes or system lines are unread, or the first reply is not old enough yet (or too old to mail).
    if (!first) return false;
    const age = now.getTime() - first.createdAt.getTime();
    if (age < this.config.emailAwayAfterMs || age > this.config.emailAwayMaxAgeMs) return false;
    const lastActive = await this.activity.lastActive(due.candidateUserId);
    if (lastActive !== null && now.getTime() - lastActive < this.config.activeWindowMs) return false;

    const candidate = await this.users.findById(due.candidateUserId);
    if (!candidate?.is_active || !candidate.email || !this.chatConfig.candidateRoles.includes(candidate.role)) return false;

    const quoted = replies.slice(0, MAX_QUOTED_REPLIES);
    const row = Object.assign(new SupportEmailNotificationEntity(), {
      id: randomUUID(),
      conversationId: due.conversationId,
      recipientUserId: due.candidateUserId,
      windowSeq: due.windowSeq,
      messageSeq: quoted[quoted.length - 1].seq,
      status: 'sending',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
      lastError: null,
    } satisfies Partial<SupportEmailNotificationEntity>);
    if (!(await this.automation.claimEmail(row))) return false;
    return this.deliver(row, { conversationSubject: due.subject, replies: quoted, candidate: { ...candidate, email: candidate.email } });
  }

  private async retryFailed(now: Date): Promise<number> {
    let sent = 0;
    for (const row of await this.automation.failedEmails(this.config.emailMaxAttempts)) {
      if (!(await this.automation.reclaimEmail(row.id, this.config.emailMaxAttempts, now))) continue;
      const candidate = await this.users.findById(row.recipientUserId);
      const replies = (await this.timeline.range(row.conversationId, row.windowSeq + 1, row.messageSeq)).filter(
        (entry) => EMAILED_TYPES.includes(entry.messageType) && entry.senderUserId !== row.recipientUserId,
      );
      if (!candidate?.is_active || !candidate.email || replies.length === 0) {
        await this.automation.finishEmail(row.id, { status: 'failed', sentAt: null, lastError: 'Sin destinatario o sin respuestas' }, now);
        continue;
      }
      const subject = (await this.conversations.byId(row.conversationId))?.subject ?? null;
      if (await this.deliver(row, { conversationSubject: subject, replies, candidate: { ...candidate, email: candidate.email } })) sent++;
    }
    return sent;
  }

  private async deliver(
    row: SupportEmailNotificationEntity,
    input: { conversationSubject: string | null; replies: SupportMessageEntity[]; candidate: { id: string; full_name: string; email: string } },
  ): Promise<boolean> {
    const authors = await this.users.byIds(input.replies.map((reply) => reply.senderUserId));
    const link = `${this.config.publicUrl}${this.config.candidatePath}?conversacion=${encodeURIComponent(row.conversationId)}`;
    const content = renderAwayEmail({
      candidateName: input.candidate.full_name,
      conversationSubject: input.conversationSubject,
      link,
      replies: input.replies.map((reply) => ({
        author: authors.get(reply.senderUserId)?.full_name ?? 'Equipo de soporte',
        content: reply.content,
        attachmentName: reply.attachmentName,
      })),
    });
    const email: ChatEmail = {
      kind: 'unread_reply',
      to: { user_id: input.candidate.id, full_name: input.candidate.full_name, email: input.candidate.email },
      ...content,
      link,
      conversation_id: row.conversationId,
      idempotency_key: row.id,
    };
    try {
      await this.notifier.sendEmail(email);
    } catch (error) {
      this.logger.warn(`Away e-mail ${row.id} failed: ${(error as Error).message}`);
      await this.automation.finishEmail(row.id, { status: 'failed', sentAt: null, lastError: (error as Error).message }, new Date());
      return false;
    }
    await this.automation.finishEmail(row.id, { status: 'sent', sentAt: new Date(), lastError: null }, new Date());
    return true;
  }
}
