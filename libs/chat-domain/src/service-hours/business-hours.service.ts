import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import { ChatAuditTrail } from '../audit/chat-audit-trail';
import { ChatActor } from '../auth/chat-actor';
import {
  BusinessHours,
  ClosedPeriodMemo,
  describeSchedule,
  fillTemplate,
  formatWeeklySchedule,
  fromOpeningText,
  parseWeeklySchedule,
  scheduleStateAt,
} from '../domain/business-hours';
import { SYSTEM_SENDER_ID } from '../domain/system-sender';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ChatTransactions, isUniqueViolation } from '../persistence/chat-transactions';
import { SupportChatSettingEntity } from '../persistence/entities';
import { AppendedEntry, ConversationRepository, SettingsRepository, TimelineRepository } from '../persistence/repositories';
import {
  BusinessHoursSettings,
  businessHoursProblems,
  type ChatClock,
  type ServiceHoursConfig,
  SUPPORT_CHAT_CLOCK,
  SUPPORT_CHAT_SERVICE_HOURS_CONFIG,
} from './service-hours.config';

/** The `support_chat_settings` key of the business hours. */
export const BUSINESS_HOURS_SETTING = 'business_hours';

/** Stored form of the setting (snake_case JSON). */
interface StoredBusinessHours {
  time_zone: string;
  weekly_hours: string;
  holidays: string[];
  auto_reply_enabled: boolean;
  auto_reply_text: string;
}

export interface CurrentBusinessHours {
  settings: BusinessHoursSettings;
  hours: BusinessHours;
  updatedAt: Date | null;
}

/** Support is closed now: the period's key and what the automatic reply says (null when it is off). */
export interface ClosedPeriod {
  key: string;
  autoReply: string | null;
}

/**
 * The business hours: read from `support_chat_settings` (shared by every instance; the environment's
 * defaults until an admin saves), kept in memory for `settingsCacheSeconds`, and what follows from
 * them at a given moment (open or closed, next opening, the automatic reply).
 */
@Injectable()
export class BusinessHoursService {
  private cached: { value: CurrentBusinessHours; until: number } | undefined;
  private readonly closedPeriods = new ClosedPeriodMemo();

  constructor(
    @Inject(SUPPORT_CHAT_SERVICE_HOURS_CONFIG) private readonly config: ServiceHoursConfig,
    @Inject(SUPPORT_CHAT_CLOCK) private readonly clock: ChatClock,
    private readonly settings: SettingsRepository,
    private readonly conversations: ConversationRepository,
    private readonly timeline: TimelineRepository,
    private readonly transactions: ChatTransactions,
    private readonly audit: ChatAuditTrail,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  async current(): Promise<CurrentBusinessHours> {
    const now = Date.now();
    if (this.cached && this.cached.until > now) return this.cached.value;
    const stored = await this.settings.get(BUSINESS_HOURS_SETTING);
    const settings = stored ? fromStored(stored.value, this.config.defaults) : this.config.defaults;
    const value: CurrentBusinessHours = { settings, hours: toBusinessHours(settings), updatedAt: stored?.updatedAt ?? null };
    this.cached = { value, until: now + this.config.settingsCacheSeconds * 1000 };
    return value;
  }

  /** Admin: replaces the business hours (validated), for every instance. */
  async update(actor: ChatActor, input: BusinessHoursSettings): Promise<CurrentBusinessHours> {
    this.assertAdmin(actor);
    const settings: BusinessHoursSettings = {
      timeZone: input.timeZone.trim(),
      weeklyHours: input.weeklyHours.trim(),
      holidays: [...new Set(input.holidays.map((date) => date.trim()))].sort(),
      autoReplyEnabled: input.autoReplyEnabled,
      autoReplyText: input.autoReplyText.trim(),
    };
    const problems = businessHoursProblems(settings);
    if (problems.length > 0) {
      throw new ChatError(
        ChatErrorCode.BusinessHoursInvalid,
        problems[0].message,
        HttpStatus.BAD_REQUEST,
        problems.map((problem) => ({ ...problem, code: ChatErrorCode.BusinessHoursInvalid })),
      );
    }
    // Stored in the text form the parser wrote back, so equal schedules read the same.
    settings.weeklyHours = formatWeeklySchedule(parseWeeklySchedule(settings.weeklyHours));
    const stored: StoredBusinessHours = {
      time_zone: settings.timeZone,
      weekly_hours: settings.weeklyHours,
      holidays: settings.holidays,
      auto_reply_enabled: settings.autoReplyEnabled,
      auto_reply_text: settings.autoReplyText,
    };
    const updatedAt = new Date();
    const setting = Object.assign(new SupportChatSettingEntity(), {
      settingKey: BUSINESS_HOURS_SETTING,
      value: JSON.stringify(stored),
      updatedAt,
      updatedByUserId: actor.id,
    });
    // The setting and its audit entry in one transaction; a concurrent first save makes this one update.
    const write = () =>
      this.transactions.run(async (manager) => {
        const previous = await this.settings.get(BUSINESS_HOURS_SETTING, manager);
        await this.settings.put(manager, setting);
        await this.audit.record(manager, {
          actor,
          action: 'settings.changed',
          before: { setting: BUSINESS_HOURS_SETTING, value: previous ? storedValue(previous.value) : null },
          after: { setting: BUSINESS_HOURS_SETTING, value: stored },
          at: updatedAt,
        });
      });
    try {
      await write();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await write();
    }
    this.cached = undefined;
    return this.current();
  }

  /** Admin check for the settings endpoints. */
  assertAdmin(actor: ChatActor): void {
    if (!this.config.adminRoles.includes(actor.role)) {
      throw new ChatError(ChatErrorCode.Forbidden, 'Solo un administrador puede cambiar el horario de atención.', HttpStatus.FORBIDDEN);
    }
  }

  /** Whether support is closed now; when it is, the period's key and the filled automatic reply text. */
  async closedNow(): Promise<ClosedPeriod | null> {
    const { settings, hours } = await this.current();
    const now = this.now();
    const key = this.closedPeriods.keyAt(hours, now);
    if (key === null) return null;
    return { key, autoReply: settings.autoReplyEnabled ? fillTemplate(settings.autoReplyText, templateVariables(hours, now)) : null };
  }

  /**
   * Inside the caller's send transaction, after a candidate's message while closed: appends the
   * automatic reply if this conversation has not had one in this closed period. The conditional UPDATE
   * of `auto_reply_period` decides, so several instances or retries never write it twice.
   */
  async appendAutoReply(manager: EntityManager, conversationId: string, closed: ClosedPeriod): Promise<AppendedEntry | null> {
    if (!closed.autoReply) return null;
    if (!(await this.conversations.claimAutoReply(manager, conversationId, closed.key))) return null;
    return this.timeline.append(
      manager,
      conversationId,
      { id: SYSTEM_SENDER_ID, kind: 'staff' },
      { messageType: 'system', content: closed.autoReply, clientMessageId: randomUUID(), attachment: null },
    );
  }
}

/** The variables of the automatic reply: `{horario}`, `{proxima_apertura}`. */
export function templateVariables(hours: BusinessHours, now: Date): Record<string, string> {
  const next = scheduleStateAt(hours, now).nextOpening;
  return {
    horario: describeSchedule(hours.weekly) || 'por confirmar',
    proxima_apertura: next ? fromOpeningText(hours, now, next) : 'en cuanto sea posible',
  };
}

function toBusinessHours(settings: BusinessHoursSettings): BusinessHours {
  return { timeZone: settings.timeZone, weekly: parseWeeklySchedule(settings.weeklyHours), holidays: settings.holidays };
}

/** A stored setting as the audit trail shows it: its JSON, or the raw text of a row that is not JSON. */
function storedValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The stored JSON, falling back to the defaults for anything missing or invalid (never a 500 on a bad row). */
function fromStored(value: string, defaults: BusinessHoursSettings): BusinessHoursSettings {
  let parsed: Partial<StoredBusinessHours>;
  try {
    parsed = JSON.parse(value) as Partial<StoredBusinessHours>;
  } catch {
    return defaults;
  }
  const settings: BusinessHoursSettings = {
    timeZone: typeof parsed.time_zone === 'string' ? parsed.time_zone : defaults.timeZone,
    weeklyHours: typeof parsed.weekly_hours === 'string' ? parsed.weekly_hours : defaults.weeklyHours,
    holidays: Array.isArray(parsed.holidays) ? parsed.holidays.filter((date): date is string => typeof date === 'string') : defaults.holidays,
    autoReplyEnabled: typeof parsed.auto_reply_enabled === 'boolean' ? parsed.auto_reply_enabled : defaults.autoReplyEnabled,
    autoReplyText: typeof parsed.auto_reply_text === 'string' ? parsed.auto_reply_text : defaults.autoReplyText,
  };
  return businessHoursProblems(settings).length === 0 ? settings : defaults;
}
