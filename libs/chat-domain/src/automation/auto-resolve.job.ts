import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { ConversationsService } from '../conversations/conversations.service';
import { AUTOMATION_BATCH, AutomationRepository } from '../persistence/repositories';
import { SUPPORT_CHAT_AUTOMATION_CONFIG, type SupportChatAutomationConfig } from './automation.config';
import { IntervalJob } from './interval-job';

/**
 * Auto-resolve (issue 17): every `SUPPORT_CHAT_AUTO_RESOLVE_CHECK_INTERVAL`, resolves the open
 * conversations where staff had the last word and nothing happened for `SUPPORT_CHAT_AUTO_RESOLVE_AFTER`
 * (0 disables), writing "Marcamos la conversación como resuelta por inactividad; …". A conversation
 * waiting on staff (the candidate wrote last) is never touched. Safe with several instances: each
 * conversation is claimed by a conditional UPDATE (`ConversationsService.resolveForInactivity`).
 */
@Injectable()
export class AutoResolveJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AutoResolveJob');
  private readonly job = new IntervalJob('Auto-resolve', this.logger);

  constructor(
    @Inject(SUPPORT_CHAT_AUTOMATION_CONFIG) private readonly config: SupportChatAutomationConfig,
    private readonly automation: AutomationRepository,
    private readonly conversations: ConversationsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.autoResolveAfterMs > 0) this.job.start(this.config.autoResolveCheckIntervalMs, () => this.runOnce());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One pass (every due conversation, batch by batch); returns how many this call resolved. */
  async runOnce(now: Date = new Date()): Promise<number> {
    if (this.config.autoResolveAfterMs <= 0) return 0;
    const cutoff = new Date(now.getTime() - this.config.autoResolveAfterMs);
    let resolved = 0;
    for (;;) {
      const due = await this.automation.autoResolveDue(cutoff);
      let won = 0;
      for (const id of due) if (await this.conversations.resolveForInactivity(id, cutoff)) won++;
      resolved += won;
      // Every row of a batch ends resolved or no longer due (whoever won its claim): the next batch is new rows.
      if (due.length < AUTOMATION_BATCH) break;
    }
    if (resolved > 0) this.logger.log(`Resolved ${resolved} inactive conversation(s)`);
    return resolved;
  }
}
