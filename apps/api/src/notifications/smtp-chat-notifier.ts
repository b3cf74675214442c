import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ChatEmail, ChatNotifier } from '@support-chat/chat-domain';
import type { Transporter } from 'nodemailer';

import { API_CONFIG, type ApiConfig } from '../config/api-config';

/**
 * nodemailer is loaded when `SMTP_URL` is set, not at import: a server that only logs its e-mails never
 * needs it, and loading its files is start-up time spent for nothing.
 */
function nodemailer(): typeof import('nodemailer') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy, see above
  return require('nodemailer') as typeof import('nodemailer');
}

/** Sender of the chat's e-mails when `SMTP_FROM` is unset. */
export const DEFAULT_SMTP_FROM = 'Soporte <soporte@localhost>';

/**
 * The demo host's `ChatNotifier`: sends the chat's e-mails with nodemailer over SMTP (`SMTP_URL`, e.g.
 * `smtp://user:pass@mail.example.com:587` or `smtps://...`; `SMTP_FROM` the sender). Without `SMTP_URL`
 * it logs the e-mail (recipient, subject, link) instead of sending it, so the demo needs no mail server.
 * The chat's outbox makes sure each e-mail is handed over once; the `Message-ID` is derived from its
 * idempotency key, so a mail system that deduplicates by it would drop an accidental copy too.
 */
@Injectable()
export class SmtpChatNotifier implements ChatNotifier, OnModuleDestroy {
  private readonly logger = new Logger('SmtpChatNotifier');
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    const url = config.env.SMTP_URL?.trim();
    this.from = config.env.SMTP_FROM?.trim() || DEFAULT_SMTP_FROM;
    this.transport = url ? nodemailer().createTransport(url) : null;
  }

  async sendEmail(email: ChatEmail): Promise<void> {
    if (!this.transport) {
      this.logger.warn(`SMTP_URL is not set: e-mail to ${email.to.email} logged, not sent: "${email.subject}" ${email.link}`);
      return;
    }
    await this.transport.sendMail({
      from: this.from,
      to: { name: email.to.full_name, address: email.to.email },
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: `<${email.idempotency_key}@support-chat>`,
      headers: { 'X-Support-Chat-Conversation': email.conversation_id },
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
