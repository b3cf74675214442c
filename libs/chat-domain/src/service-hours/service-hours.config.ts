import { BusinessHoursFormatError, isValidLocalDate, isValidTimeZone, parseWeeklySchedule } from '../domain/business-hours';
import { SupportChatConfigError } from '../config/support-chat.config';

/** The business hours as configured: what the admin edits and the environment gives as defaults. */
export interface BusinessHoursSettings {
  timeZone: string;
  /** Text form, e.g. `mon-fri 09:00-18:00; sat 10:00-14:00` (see `parseWeeklySchedule`). */
  weeklyHours: string;
  /** Closed local dates, `YYYY-MM-DD`. */
  holidays: string[];
  autoReplyEnabled: boolean;
  /** Template with `{horario}` and `{proxima_apertura}`. */
  autoReplyText: string;
}

/** Issue 17 part 1 settings (`SUPPORT_CHAT_TIMEZONE`, `SUPPORT_CHAT_BUSINESS_HOURS`, ...). */
export interface ServiceHoursConfig {
  /** Used until an admin saves settings (they then live in `support_chat_settings`, shared by every instance). */
  defaults: BusinessHoursSettings;
  /** Days after a resolution during which the candidate may rate it and change the rating. */
  ratingEditDays: number;
  /** First responses needed in the last 7 days before the expected reply time is shown. */
  expectedReplyMinSample: number;
  /** How long the expected reply time is cached in memory. */
  expectedReplyCacheSeconds: number;
  /** How long an instance keeps the settings it read (an admin's change reaches other instances within this). */
  settingsCacheSeconds: number;
  /** Roles that may edit the business hours. */
  adminRoles: readonly string[];
}

export const AUTO_REPLY_TEXT_MAX = 1000;
export const DEFAULT_AUTO_REPLY_TEXT =
  'Gracias por escribirnos. En este momento estamos fuera de horario: nuestro horario es {horario}. Te responderemos {proxima_apertura}.';

export const DEFAULT_SERVICE_HOURS_CONFIG: ServiceHoursConfig = {
  defaults: {
    timeZone: 'America/Mexico_City',
    weeklyHours: 'mon-fri 09:00-18:00',
    holidays: [],
    autoReplyEnabled: true,
    autoReplyText: DEFAULT_AUTO_REPLY_TEXT,
  },
  ratingEditDays: 7,
  expectedReplyMinSample: 5,
  expectedReplyCacheSeconds: 300,
  settingsCacheSeconds: 30,
  adminRoles: ['admin'],
};

/** Problems of a settings value, as `{ field, message }` in Spanish (empty when valid). */
export function businessHoursProblems(settings: BusinessHoursSettings): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!isValidTimeZone(settings.timeZone))
    problems.push({ field: 'time_zone', message: `"${settings.timeZone}" no es una zona horaria válida (por ejemplo, America/Mexico_City).` });
  try {
    parseWeeklySchedule(settings.weeklyHours);
  } catch (error) {
    if (!(error instanceof BusinessHoursFormatError)) throw error;
    problems.push({ field: 'weekly_hours', message: error.message });
  }
  for (const date of settings.holidays) {
    if (!isValidLocalDate(date)) problems.push({ field: 'holidays', message: `"${date}" no es una fecha válida (AAAA-MM-DD).` });
  }
  if (settings.autoReplyText.trim().length === 0)
    problems.push({ field: 'auto_reply_text', message: 'El texto de la respuesta automática no puede estar vacío.' });
  if (settings.autoReplyText.length > AUTO_REPLY_TEXT_MAX) {
    problems.push({ field: 'auto_reply_text', message: `El texto de la respuesta automática supera los ${AUTO_REPLY_TEXT_MAX} caracteres.` });
  }
  return problems;
}

type Env = Record<string, string | undefined>;

/** Reads the issue 17 variables from `env` and validates them (throws `SupportChatConfigError`). */
export function loadServiceHoursConfig(env: Env = process.env, overrides: Partial<ServiceHoursConfig> = {}): ServiceHoursConfig {
  const problems: string[] = [];
  const text = (name: string, fallback: string): string => env[name]?.trim() || fallback;
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const base = DEFAULT_SERVICE_HOURS_CONFIG;
  const autoReply = env.SUPPORT_CHAT_AUTO_REPLY_ENABLED?.trim().toLowerCase();
  const defaults: BusinessHoursSettings = {
    timeZone: text('SUPPORT_CHAT_TIMEZONE', base.defaults.timeZone),
    weeklyHours: env.SUPPORT_CHAT_BUSINESS_HOURS === undefined ? base.defaults.weeklyHours : env.SUPPORT_CHAT_BUSINESS_HOURS.trim(),
    holidays: text('SUPPORT_CHAT_HOLIDAYS', '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
    autoReplyEnabled: autoReply === undefined || autoReply === '' ? base.defaults.autoReplyEnabled : autoReply === 'true' || autoReply === '1',
    autoReplyText: text('SUPPORT_CHAT_AUTO_REPLY_TEXT', base.defaults.autoReplyText),
  };
  for (const problem of businessHoursProblems(defaults)) problems.push(`SUPPORT_CHAT_${problem.field.toUpperCase()}: ${problem.message}`);
  const config: ServiceHoursConfig = {
    defaults,
    ratingEditDays: int('SUPPORT_CHAT_RATING_EDIT_DAYS', base.ratingEditDays, 1, 365),
    expectedReplyMinSample: int('SUPPORT_CHAT_EXPECTED_REPLY_MIN_SAMPLE', base.expectedReplyMinSample, 1, 10_000),
    expectedReplyCacheSeconds: int('SUPPORT_CHAT_EXPECTED_REPLY_CACHE_SECONDS', base.expectedReplyCacheSeconds, 0, 86_400),
    settingsCacheSeconds: int('SUPPORT_CHAT_SETTINGS_CACHE_SECONDS', base.settingsCacheSeconds, 0, 3_600),
    adminRoles: text('SUPPORT_CHAT_SETTINGS_ADMIN_ROLES', base.adminRoles.join(','))
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
    ...overrides,
  };
  if (problems.length > 0) throw new SupportChatConfigError(problems);
  return Object.freeze(config);
}

export const SUPPORT_CHAT_SERVICE_HOURS_CONFIG = Symbol('SUPPORT_CHAT_SERVICE_HOURS_CONFIG');

/** Where the chat reads the time (a provider, so tests pin it). */
export interface ChatClock {
  now(): Date;
}

export const SUPPORT_CHAT_CLOCK = Symbol('SUPPORT_CHAT_CLOCK');
export const SYSTEM_CLOCK: ChatClock = { now: () => new Date() };
