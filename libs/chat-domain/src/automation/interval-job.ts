import { Logger } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs` (the next run is scheduled when one ends, so runs never overlap on an
 * instance). State lives in the database, so a restart simply resumes; other instances run their own
 * copy and the database claims decide who acts.
 */
export class IntervalJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number, work: () => Promise<unknown>): void {
    if (intervalMs <= 0) return;
    this.stopped = false;
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = work()
          .catch((error: Error) => this.logger.error(`${this.name} failed: ${error.message}`, error.stack))
          .finally(() => {
            this.running = null;
            schedule();
          });
      }, intervalMs);
      this.timer.unref();
    };
    schedule();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
