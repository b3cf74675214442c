import { Injectable, Logger } from '@nestjs/common';

/** An e-mail the chat wants sent: addressed, written (Spanish) and rendered by the module. */
export interface ChatEmail {
  /** What it is about; only `unread_reply` so far (e-mail when away, issue 17). */
  kind: 'unread_reply';
  to: { user_id: string; full_name: string; email: string };
  subject: string;
  /** Plain-text body. */
  text: string;
  /** HTML body; every value from users is escaped. */
  html: string;
  /** The link back to the conversation (also inside both bodies). */
  link: string;
  conversation_id: string;
  /**
   * Stable per e-mail (the outbox row's id): a transport that can deduplicate (a `Message-ID`, a
   * provider's idempotency key) should use it. The chat itself never sends a claimed e-mail twice.
   */
  idempotency_key: string;
}

/**
 * The host port through which the chat notifies people outside the app (issue 17). The host binds its
 * implementation with `SupportChatModule.forRoot({ ..., notifier: MyNotifier })`; the demo host sends
 * with nodemailer over SMTP. Throwing marks the e-mail failed; it is tried again on a later run (up to
 * a bounded number of attempts), never after it once succeeded.
 */
export interface ChatNotifier {
  sendEmail(email: ChatEmail): Promise<void>;
}

/** Injection token of the host's `ChatNotifier`. */
export const CHAT_NOTIFIER = Symbol('CHAT_NOTIFIER');

/** Used when the host binds no notifier: logs what would have been sent. */
@Injectable()
export class LoggingChatNotifier implements ChatNotifier {
  private readonly logger = new Logger('ChatNotifier');

  sendEmail(email: ChatEmail): Promise<void> {
    this.logger.log(`No notifier configured: e-mail "${email.subject}" to user ${email.to.user_id} not sent (${email.link})`);
    return Promise.resolve();
  }
}
