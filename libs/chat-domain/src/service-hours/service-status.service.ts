import { Inject, Injectable } from '@nestjs/common';

import { ChatActor } from '../auth/chat-actor';
import { businessMinutesBetween, describeSchedule, fromOpeningText, median, scheduleStateAt } from '../domain/business-hours';
import { ConversationRepository } from '../persistence/repositories';
import { BusinessHoursService } from './business-hours.service';
import { type ServiceHoursConfig, SUPPORT_CHAT_SERVICE_HOURS_CONFIG } from './service-hours.config';
import { BusinessHoursSettingsDto, ServiceStatusDto, UpdateBusinessHoursDto } from './dto/service-hours.dto';

/** The window of first responses the expected reply time is computed from. */
const EXPECTED_REPLY_WINDOW_DAYS = 7;

/** What the candidate page shows before they write: open or closed, the schedule, the expected reply time. */
@Injectable()
export class ServiceStatusService {
  private expected: { minutes: number | null; until: number } | undefined;
  private computing: Promise<number | null> | undefined;

  constructor(
    @Inject(SUPPORT_CHAT_SERVICE_HOURS_CONFIG) private readonly config: ServiceHoursConfig,
    private readonly businessHours: BusinessHoursService,
    private readonly conversations: ConversationRepository,
  ) {}

  async status(): Promise<ServiceStatusDto> {
    const { settings, hours } = await this.businessHours.current();
    const now = this.businessHours.now();
    const state = scheduleStateAt(hours, now);
    const schedule = describeSchedule(hours.weekly);
    const scheduleText = schedule ? `${schedule} (hora de ${settings.timeZone})` : 'Sin horario de atención configurado';
    const nextOpeningText = state.nextOpening ? fromOpeningText(hours, now, state.nextOpening) : null;
    return {
      open: state.open,
      time_zone: settings.timeZone,
      schedule_text: scheduleText,
      closes_at: state.closesAt?.toISOString() ?? null,
      next_opening_at: state.nextOpening?.toISOString() ?? null,
      next_opening_text: nextOpeningText,
      closed_notice: state.open ? null : `Nuestro horario es ${scheduleText}.${nextOpeningText ? ` Te responderemos ${nextOpeningText}.` : ''}`,
      expected_reply_minutes: await this.expectedReplyMinutes(),
    };
  }

  /**
   * The median first response of the last 7 days, counting business time only (a message sent on
   * Friday night and answered on Monday at 9:05 waited 5 minutes), rounded up to whole minutes; null
   * below `expectedReplyMinSample` responses. Cached in memory for `expectedReplyCacheSeconds`, and
   * concurrent requests share one computation.
   */
  async expectedReplyMinutes(): Promise<number | null> {
    if (this.expected && this.expected.until > Date.now()) return this.expected.minutes;
    this.computing ??= this.computeExpectedReply().finally(() => (this.computing = undefined));
    return this.computing;
  }

  /** Drops the cached expected reply time (tests; an admin's change of the schedule). */
  forgetExpectedReply(): void {
    this.expected = undefined;
  }

  async settings(actor: ChatActor): Promise<BusinessHoursSettingsDto> {
    this.businessHours.assertAdmin(actor);
    return toSettingsDto(await this.businessHours.current());
  }

  async updateSettings(actor: ChatActor, input: UpdateBusinessHoursDto): Promise<BusinessHoursSettingsDto> {
    const updated = await this.businessHours.update(actor, {
      timeZone: input.time_zone,
      weeklyHours: input.weekly_hours,
      holidays: input.holidays,
      autoReplyEnabled: input.auto_reply_enabled,
      autoReplyText: input.auto_reply_text,
    });
    this.forgetExpectedReply();
    return toSettingsDto(updated);
  }

  private async computeExpectedReply(): Promise<number | null> {
    const { hours } = await this.businessHours.current();
    const now = this.businessHours.now();
    const samples = await this.conversations.firstResponsesSince(new Date(now.getTime() - EXPECTED_REPLY_WINDOW_DAYS * 24 * 60 * 60 * 1000));
    const minutes =
      samples.length < this.config.expectedReplyMinSample
        ? null
        : Math.max(1, Math.ceil(median(samples.map((sample) => businessMinutesBetween(hours, sample.askedAt, sample.answeredAt)))));
    this.expected = { minutes, until: Date.now() + this.config.expectedReplyCacheSeconds * 1000 };
    return minutes;
  }
}

function toSettingsDto(current: Awaited<ReturnType<BusinessHoursService['current']>>): BusinessHoursSettingsDto {
  const { settings, updatedAt } = current;
  return {
    time_zone: settings.timeZone,
    weekly_hours: settings.weeklyHours,
    holidays: settings.holidays,
    auto_reply_enabled: settings.autoReplyEnabled,
    auto_reply_text: settings.autoReplyText,
    updated_at: updatedAt?.toISOString() ?? null,
  };
}
