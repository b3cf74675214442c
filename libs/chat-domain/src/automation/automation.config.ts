/**
 * Issue 17 (part 2): the scheduled jobs of the chat (auto-resolve, e-mail when away) and the public
 * address used in links. Read from `SUPPORT_CHAT_*` variables; module options override them
 * (`SupportChatModuleOptions.automation`). Durations accept a number with a unit: `45s`, `30m`, `72h`,
 * `2d` (a bare number is minutes). `0` disables a job.
 */
export interface SupportChatAutomationConfig {
  /** Resolve conversations whose last word is staff's after this much silence; 0 disables. */
  autoResolveAfterMs: number;
  autoResolveCheckIntervalMs: number;
  /** E-mail an unread staff reply after this long when the candidate has no tab open; 0 disables. */
  emailAwayAfterMs: number;
  emailAwayCheckIntervalMs: number;
  /** A candidate who made a chat request (polling included) or held a live stream this recently has a tab open. */
  activeWindowMs: number;
  /** Replies older than this are never e-mailed (so turning the feature on does not mail old history). */
  emailAwayMaxAgeMs: number;
  /** Failed sends are tried again, up to this many attempts in all. */
  emailMaxAttempts: number;
  /** Where the web app lives, for links in e-mails (`SUPPORT_CHAT_PUBLIC_URL`). */
  publicUrl: string;
  /** The candidate's chat page under `publicUrl`; `?conversacion=<id>` is added. */
  candidatePath: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_AUTOMATION_CONFIG: SupportChatAutomationConfig = {
  autoResolveAfterMs: 72 * HOUR,
  autoResolveCheckIntervalMs: 5 * MINUTE,
  emailAwayAfterMs: 10 * MINUTE,
  emailAwayCheckIntervalMs: MINUTE,
  activeWindowMs: 2 * MINUTE,
  emailAwayMaxAgeMs: 24 * HOUR,
  emailMaxAttempts: 3,
  publicUrl: 'http://localhost:3000',
  candidatePath: '/chat-soporte',
};

const UNITS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: 24 * HOUR };

/** `"30m"` -> 1 800 000; `"0"` -> 0; a bare number is minutes. Returns null when it cannot be read. */
export function parseDuration(raw: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(raw);
  if (!match) return null;
  const value = Number(match[1]) * UNITS[(match[2] || 'm').toLowerCase()];
  return Number.isFinite(value) ? Math.round(value) : null;
}

export class SupportChatAutomationConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid support chat configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SupportChatAutomationConfigError';
  }
}

export function loadAutomationConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<SupportChatAutomationConfig> = {},
): SupportChatAutomationConfig {
  const problems: string[] = [];
  const duration = (name: string, fallback: number, minWhenOn = 0): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = parseDuration(raw);
    if (value === null || (value !== 0 && value < minWhenOn)) {
      problems.push(`${name} must be a duration such as 45s, 30m, 72h or 2d, or 0 (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const config: SupportChatAutomationConfig = {
    autoResolveAfterMs: duration('SUPPORT_CHAT_AUTO_RESOLVE_AFTER', DEFAULT_AUTOMATION_CONFIG.autoResolveAfterMs),
    autoResolveCheckIntervalMs: duration('SUPPORT_CHAT_AUTO_RESOLVE_CHECK_INTERVAL', DEFAULT_AUTOMATION_CONFIG.autoResolveCheckIntervalMs, 1000),
    emailAwayAfterMs: duration('SUPPORT_CHAT_EMAIL_AWAY_AFTER', DEFAULT_AUTOMATION_CONFIG.emailAwayAfterMs),
    emailAwayCheckIntervalMs: duration('SUPPORT_CHAT_EMAIL_AWAY_CHECK_INTERVAL', DEFAULT_AUTOMATION_CONFIG.emailAwayCheckIntervalMs, 1000),
    activeWindowMs: duration('SUPPORT_CHAT_EMAIL_AWAY_ACTIVE_WINDOW', DEFAULT_AUTOMATION_CONFIG.activeWindowMs),
    emailAwayMaxAgeMs: duration('SUPPORT_CHAT_EMAIL_AWAY_MAX_AGE', DEFAULT_AUTOMATION_CONFIG.emailAwayMaxAgeMs),
    emailMaxAttempts: DEFAULT_AUTOMATION_CONFIG.emailMaxAttempts,
    publicUrl: (env.SUPPORT_CHAT_PUBLIC_URL?.trim() || DEFAULT_AUTOMATION_CONFIG.publicUrl).replace(/\/+$/, ''),
    candidatePath: DEFAULT_AUTOMATION_CONFIG.candidatePath,
    ...overrides,
  };
  if (!URL.canParse(config.publicUrl) || !/^https?:$/.test(new URL(config.publicUrl).protocol)) {
    problems.push(`SUPPORT_CHAT_PUBLIC_URL must be an http(s) URL (got "${config.publicUrl}")`);
  }
  if (config.emailAwayAfterMs > 0 && config.emailAwayMaxAgeMs <= config.emailAwayAfterMs) {
    problems.push('SUPPORT_CHAT_EMAIL_AWAY_MAX_AGE must be longer than SUPPORT_CHAT_EMAIL_AWAY_AFTER');
  }
  if (problems.length > 0) throw new SupportChatAutomationConfigError(problems);
  return Object.freeze(config);
}

export const SUPPORT_CHAT_AUTOMATION_CONFIG = Symbol('SUPPORT_CHAT_AUTOMATION_CONFIG');
