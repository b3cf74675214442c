/**
 * Runtime configuration of the chat module. Every value has the spec's environment variable and
 * default; `loadSupportChatConfig()` validates them once at start-up so that a typo stops the process
 * with a clear message instead of surfacing as odd behaviour later.
 */
export interface SupportChatConfig {
  maxMessageLength: number;
  maxSubjectLength: number;
  attachmentMimeTypes: readonly string[];
  attachmentMaxBytes: number;
  /** Allowed prefixes for attachment URLs; empty means any `https:` URL. */
  attachmentUrlPrefixes: readonly string[];
  /**
   * Local demos only: lets `attachmentUrlPrefixes` hold `http://` prefixes (each ending in `/`), and
   * accepts `http:` attachment URLs under exactly those prefixes. Every other URL still needs `https:`.
   */
  allowInsecureAttachmentPrefixes: boolean;
  candidateRoles: readonly string[];
  staffRoles: readonly string[];
  /**
   * Supervisors: see everything staff see (notes included), change nothing. Any write they attempt is
   * refused (403 `supervisor_read_only`); their reading moves no read marker and counts no unread.
   */
  supervisorRoles: readonly string[];
  /** Staff roles that may also read the audit trail (supervisors always may; a role here that is not staff gains nothing). */
  auditRoles: readonly string[];
  /** Staff roles that may also read the reports (`SUPPORT_CHAT_REPORT_ROLES`; supervisors always may). */
  reportRoles: readonly string[];
  /**
   * Second tier (`SUPPORT_CHAT_COORDINATOR_ROLES`): staff who also receive escalated conversations.
   * Always part of `staffRoles` (the loader adds them).
   */
  coordinatorRoles: readonly string[];
  /**
   * The spec lets a candidate use `open` on their own conversations whatever its status, so by default
   * a candidate may reopen one that staff closed. `false` makes `closed` final for candidates.
   */
  candidateCanReopenClosed: boolean;
  /** Staff roles that manage the team's quick replies and the labels (`SUPPORT_CHAT_ADMIN_ROLES`). */
  adminRoles: readonly string[];
  /**
   * On PostgreSQL, the common send (see `TimelineRepository.appendInOneStatement`)
   * is one statement instead of a transaction of several. `false` keeps every send in the transaction:
   * a switch for comparing both in the benchmark (`bench/send-latency.ts`) and a way back if needed.
   */
  sendInOneStatement: boolean;
  /**
   * On PostgreSQL, the chat's statements run as named prepared statements, parsed and planned once per
   * connection instead of on every run. `false` for a pooler that cannot keep them across transactions
   * (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`).
   */
  postgresPreparedStatements: boolean;
}

/** Upper bounds imposed by the schema: the columns are sized for these. */
export const SCHEMA_LIMITS = {
  subjectLength: 1000,
  messageLength: 32000,
  attachmentUrlLength: 2048,
  attachmentNameLength: 255,
  mimeTypeLength: 127,
  ratingCommentLength: 1000,
  quickReplyTitleLength: 100,
  quickReplyShortcutLength: 32,
  quickReplyBodyLength: 4000,
  labelNameLength: 50,
} as const;

export const DEFAULT_ATTACHMENT_MIME_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
];

export const DEFAULT_SUPPORT_CHAT_CONFIG: SupportChatConfig = {
  maxMessageLength: 4000,
  maxSubjectLength: 255,
  attachmentMimeTypes: DEFAULT_ATTACHMENT_MIME_TYPES,
  attachmentMaxBytes: 10 * 1024 * 1024,
  attachmentUrlPrefixes: [],
  allowInsecureAttachmentPrefixes: false,
  candidateRoles: ['candidato'],
  staffRoles: ['soporte', 'admin', 'developer'],
  supervisorRoles: ['gerente'],
  auditRoles: ['admin'],
  reportRoles: ['admin'],
  coordinatorRoles: ['coordinator'],
  candidateCanReopenClosed: true,
  adminRoles: ['admin'],
  sendInOneStatement: true,
  postgresPreparedStatements: true,
};

export class SupportChatConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid support chat configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SupportChatConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads the `SUPPORT_CHAT_*` variables from `env`, applies `overrides` on top, and validates the result.
 * Throws `SupportChatConfigError` listing every problem at once.
 */
export function loadSupportChatConfig(env: Env = process.env, overrides: Partial<SupportChatConfig> = {}): SupportChatConfig {
  const problems: string[] = [];
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
  const list = (name: string, fallback: readonly string[]): readonly string[] => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  };

  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };

  const config: SupportChatConfig = {
    maxMessageLength: int('SUPPORT_CHAT_MAX_MESSAGE_LENGTH', DEFAULT_SUPPORT_CHAT_CONFIG.maxMessageLength, 1, SCHEMA_LIMITS.messageLength),
    maxSubjectLength: int('SUPPORT_CHAT_MAX_SUBJECT_LENGTH', DEFAULT_SUPPORT_CHAT_CONFIG.maxSubjectLength, 1, SCHEMA_LIMITS.subjectLength),
    attachmentMimeTypes: list('SUPPORT_CHAT_ATTACHMENT_MIMES', DEFAULT_SUPPORT_CHAT_CONFIG.attachmentMimeTypes).map((m) => m.toLowerCase()),
    attachmentMaxBytes: int('SUPPORT_CHAT_ATTACHMENT_MAX_BYTES', DEFAULT_SUPPORT_CHAT_CONFIG.attachmentMaxBytes, 1, Number.MAX_SAFE_INTEGER),
    attachmentUrlPrefixes: list('SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES', DEFAULT_SUPPORT_CHAT_CONFIG.attachmentUrlPrefixes),
    allowInsecureAttachmentPrefixes: flag('SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES', DEFAULT_SUPPORT_CHAT_CONFIG.allowInsecureAttachmentPrefixes),
    candidateRoles: list('SUPPORT_CHAT_CANDIDATE_ROLES', DEFAULT_SUPPORT_CHAT_CONFIG.candidateRoles),
    staffRoles: list('SUPPORT_CHAT_STAFF_ROLES', DEFAULT_SUPPORT_CHAT_CONFIG.staffRoles),
    // `none`: no supervisors (an empty variable means the default, as for every list).
    supervisorRoles: list('SUPPORT_CHAT_SUPERVISOR_ROLES', DEFAULT_SUPPORT_CHAT_CONFIG.supervisorRoles).filter((role) => role !== 'none'),
    auditRoles: list('SUPPORT_CHAT_AUDIT_ROLES', DEFAULT_SUPPORT_CHAT_CONFIG.auditRoles).filter((role) => role !== 'none'),
    reportRoles: list('SUPPORT_CHAT_REPORT_ROLES', DEFAULT_SUPPORT_CHAT_CONFIG.reportRoles).filter((role) => role !== 'none'),
    coordinatorRoles: list('SUPPORT_CHAT_COORDINATOR_ROLES', DEFAULT_SUPPORT_CHAT_CONFIG.coordinatorRoles),
    candidateCanReopenClosed: flag('SUPPORT_CHAT_CANDIDATE_CAN_REOPEN_CLOSED', DEFAULT_SUPPORT_CHAT_CONFIG.candidateCanReopenClosed),
    adminRoles: list('SUPPORT_CHAT_ADMIN_ROLES', DEFAULT_SUPPORT_CHAT_CONFIG.adminRoles),
    sendInOneStatement: flag('SUPPORT_CHAT_SEND_IN_ONE_STATEMENT', DEFAULT_SUPPORT_CHAT_CONFIG.sendInOneStatement),
    postgresPreparedStatements: flag('SUPPORT_CHAT_POSTGRES_PREPARED_STATEMENTS', DEFAULT_SUPPORT_CHAT_CONFIG.postgresPreparedStatements),
    ...overrides,
  };
  // Coordinators are staff who also receive escalations.
  config.staffRoles = [...new Set([...config.staffRoles, ...config.coordinatorRoles])];

  for (const mime of config.attachmentMimeTypes) {
    if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(mime)) {
      problems.push(`SUPPORT_CHAT_ATTACHMENT_MIMES has an invalid MIME type "${mime}"`);
    }
  }
  for (const prefix of config.attachmentUrlPrefixes) {
    const parsed = URL.canParse(prefix) ? new URL(prefix) : null;
    if (!parsed || parsed.username || parsed.password || parsed.search || parsed.hash) {
      problems.push(`SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES entries must be plain URLs: an origin and optionally a path (got "${prefix}")`);
    } else if (config.allowInsecureAttachmentPrefixes && prefix.startsWith('http://')) {
      // Plain http is for a local demo's own upload route: written out as an origin and a path ending in /.
      // (Matching itself compares origins and path segments, see `isUnderAttachmentPrefix`.)
      if (!/^http:\/\/[^/?#@]+\/([^?#]*\/)?$/.test(prefix)) {
        problems.push(`SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES http:// entries must be an origin and a path ending in / (got "${prefix}")`);
      }
    } else if (!prefix.startsWith('https://')) {
      problems.push(
        `SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES entries must start with https:// (got "${prefix}"; http:// only with SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES=true)`,
      );
    }
  }
  if (config.candidateRoles.length === 0) problems.push('SUPPORT_CHAT_CANDIDATE_ROLES must name at least one role');
  if (config.staffRoles.length === 0) problems.push('SUPPORT_CHAT_STAFF_ROLES must name at least one role');
  const coordinatorOverlap = config.candidateRoles.filter((role) => config.coordinatorRoles.includes(role));
  if (coordinatorOverlap.length > 0) problems.push(`a role cannot be both candidate and coordinator: ${coordinatorOverlap.join(', ')}`);
  const overlap = config.candidateRoles.filter((role) => config.staffRoles.includes(role));
  if (overlap.length > 0) problems.push(`a role cannot be both candidate and staff: ${overlap.join(', ')}`);
  const adminsOutsideStaff = config.adminRoles.filter((role) => !config.staffRoles.includes(role));
  const adminRolesGiven = (env.SUPPORT_CHAT_ADMIN_ROLES ?? '').trim() !== '' || overrides.adminRoles !== undefined;
  if (adminsOutsideStaff.length > 0 && adminRolesGiven) {
    problems.push(`SUPPORT_CHAT_ADMIN_ROLES must be staff roles (not staff: ${adminsOutsideStaff.join(', ')})`);
  } else if (adminsOutsideStaff.length > 0) {
    // The default (`admin`) with a staff list that lacks it: nobody manages the team's replies and labels.
    config.adminRoles = config.adminRoles.filter((role) => config.staffRoles.includes(role));
  }
  const supervisorOverlap = config.supervisorRoles.filter((role) => config.candidateRoles.includes(role) || config.staffRoles.includes(role));
  if (supervisorOverlap.length > 0) problems.push(`a supervisor role cannot also be a candidate or staff role: ${supervisorOverlap.join(', ')}`);

  if (problems.length > 0) throw new SupportChatConfigError(problems);
  return Object.freeze(config);
}

export const SUPPORT_CHAT_CONFIG = Symbol('SUPPORT_CHAT_CONFIG');
