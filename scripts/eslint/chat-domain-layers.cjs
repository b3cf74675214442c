// @ts-check
/**
 * The chat domain's layers, bottom to top: `domain/` (enums and pure rules) and `persistence/` (entities,
 * schema, repositories: all of the chat's SQL), then the services `conversations/` < `messages/` <
 * `read-state/`, then `realtime/` and the controllers and module at the top. A folder may import from
 * its own layer and below, never above; services reach the database only through
 * `persistence/repositories` (its index). Each zone is applied with core `no-restricted-imports`
 * (eslint.config.mjs) together with the domain's own boundary patterns.
 * CommonJS so that both eslint.config.mjs and the (CommonJS) jest test can load it.
 */
const ABOVE_PERSISTENCE = [
  'audit',
  'conversations',
  'messages',
  'read-state',
  'realtime',
  'limits',
  'auth',
  'handoff',
  'quick-replies',
  'labels',
  'search',
  'service-hours',
  'csat',
  'automation',
  'transcript',
  'reports',
];
/** Feature services above `conversations/` (issue 16): they use it, and nothing below uses them. */
const FEATURES = ['quick-replies', 'labels'];
/**
 * Issue 17 services at the top, just below the module: the jobs (auto-resolve, e-mail when away) and the
 * transcript use the services; no service imports them.
 */
const TOP_SERVICES = ['automation', 'transcript'];
/** CSAT sits above conversations/ (whose views carry the rating DTO, `csat/dto` only). */
const CSAT_SERVICE = ['**/csat/*', '!**/csat/dto'];
const up = (folders) => folders.flatMap((folder) => [`**/${folder}`, `**/${folder}/**`]);
const TOP = ['**/support-chat.module', '**/support-chat.providers', '**/support-chat.controller'];
/** Repository files are reached through the folder's index only (their statements stay private). */
const REPOSITORY_INTERNALS = {
  group: ['**/persistence/repositories/*', '!**/persistence/repositories/index'],
  message: "Import repositories from 'persistence/repositories' (its index): statements and the statement cache are private.",
};
/** Query-building and data-access types: a service that imports them is writing SQL outside a repository. */
const NO_SQL_IN_SERVICES = {
  name: 'typeorm',
  importNames: ['DataSource', 'Brackets', 'In', 'Between', 'SelectQueryBuilder', 'QueryBuilder', 'Repository'],
  message: 'SQL lives in persistence/repositories: add a named repository method instead.',
};

/** @type {{ files: string[]; ignores?: string[]; patterns: object[]; paths?: object[] }[]} */
const LAYER_ZONES = [
  {
    files: ['libs/chat-domain/src/domain/**/*.ts'],
    patterns: [
      { group: [...up(['persistence', ...ABOVE_PERSISTENCE]), ...TOP], message: 'domain/ is the bottom layer: it imports nothing of the chat above it.' },
    ],
  },
  {
    files: ['libs/chat-domain/src/persistence/**/*.ts'],
    patterns: [{ group: [...up(ABOVE_PERSISTENCE), ...TOP], message: 'persistence/ sits below the services: move what it needs (enums, rules) to domain/.' }],
  },
  {
    // The audit trail sits between persistence/ and the services: every service records through it.
    files: ['libs/chat-domain/src/audit/**/*.ts'],
    ignores: ['libs/chat-domain/src/audit/audit.controller.ts'],
    patterns: [
      {
        group: [...up(['conversations', 'messages', 'read-state', 'realtime', 'service-hours', 'csat', ...TOP_SERVICES]), ...TOP],
        message: 'audit/ sits below the services that record into it.',
      },
      REPOSITORY_INTERNALS,
    ],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    files: ['libs/chat-domain/src/conversations/**/*.ts'],
    patterns: [
      {
        group: [...up(['read-state', 'handoff', 'realtime', ...FEATURES, ...TOP_SERVICES]), ...TOP, '**/messages/*', '!**/messages/dto', ...CSAT_SERVICE],
        message: 'conversations/ is the lowest service: it may use message and rating DTOs, not the messages, read-state or CSAT services.',
      },
      REPOSITORY_INTERNALS,
    ],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    files: ['libs/chat-domain/src/messages/**/*.ts'],
    patterns: [
      {
        group: [...up(['read-state', 'handoff', 'realtime', ...FEATURES, ...TOP_SERVICES]), ...TOP, ...CSAT_SERVICE],
        message: 'messages/ sits below read-state/ and realtime/.',
      },
      REPOSITORY_INTERNALS,
    ],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    files: ['libs/chat-domain/src/read-state/**/*.ts'],
    patterns: [{ group: [...up(['handoff', 'realtime', ...TOP_SERVICES]), ...TOP], message: 'read-state/ sits below realtime/.' }, REPOSITORY_INTERNALS],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    // Notes, transfer and escalation: a service above the others, below realtime/ (which binds its presence port).
    files: ['libs/chat-domain/src/handoff/**/*.ts'],
    ignores: ['libs/chat-domain/src/handoff/handoff.controller.ts'],
    patterns: [{ group: [...up(['realtime', ...TOP_SERVICES]), ...TOP], message: 'handoff/ sits below realtime/.' }, REPOSITORY_INTERNALS],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    files: ['libs/chat-domain/src/quick-replies/**/*.ts', 'libs/chat-domain/src/labels/**/*.ts'],
    patterns: [
      { group: [...up(['realtime', ...TOP_SERVICES]), ...TOP], message: 'quick-replies/ and labels/ sit below realtime/ and the module.' },
      REPOSITORY_INTERNALS,
    ],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    // Message search (issue 16): a service beside read-state/, using conversation and message DTOs.
    files: ['libs/chat-domain/src/search/**/*.ts'],
    patterns: [
      { group: [...up(['read-state', 'realtime', ...TOP_SERVICES]), ...TOP], message: 'search/ sits below realtime/ and the module.' },
      REPOSITORY_INTERNALS,
    ],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    // Business hours (issue 17): below messages/ (which appends the automatic reply through it), above persistence/.
    files: ['libs/chat-domain/src/service-hours/**/*.ts'],
    ignores: ['libs/chat-domain/src/service-hours/service-hours.controller.ts'],
    patterns: [
      {
        group: [...up(['conversations', 'messages', 'read-state', 'handoff', 'realtime', 'search', 'csat', ...FEATURES, ...TOP_SERVICES]), ...TOP],
        message: 'service-hours/ sits below messages/: it uses persistence/ and domain/ only.',
      },
      REPOSITORY_INTERNALS,
    ],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    // CSAT (issue 17): a service above conversations/, below the jobs, realtime/ and the module.
    files: ['libs/chat-domain/src/csat/**/*.ts'],
    patterns: [
      { group: [...up(['handoff', 'realtime', ...TOP_SERVICES]), ...TOP], message: 'csat/ sits below realtime/ and the module.' },
      REPOSITORY_INTERNALS,
    ],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    // Auto-resolve, e-mail when away and the transcript (issue 17): above the services, below the module.
    // automation.providers.ts is wiring (it binds the realtime broker and registers the transcript).
    files: ['libs/chat-domain/src/automation/**/*.ts', 'libs/chat-domain/src/transcript/**/*.ts'],
    ignores: ['libs/chat-domain/src/automation/automation.providers.ts'],
    patterns: [{ group: [...up(['realtime']), ...TOP], message: 'automation/ and transcript/ sit below realtime/ and the module.' }, REPOSITORY_INTERNALS],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    // Reports (issue 18): read-only figures over the maintained per-conversation values.
    files: ['libs/chat-domain/src/reports/**/*.ts'],
    ignores: ['libs/chat-domain/src/reports/reports.controller.ts'],
    patterns: [{ group: [...up(['realtime']), ...TOP], message: 'reports/ sits below realtime/ and the module.' }, REPOSITORY_INTERNALS],
    paths: [NO_SQL_IN_SERVICES],
  },
  {
    files: ['libs/chat-domain/src/realtime/**/*.ts'],
    // The realtime test kit builds the whole module on purpose.
    ignores: ['libs/chat-domain/src/realtime/testing/**'],
    patterns: [{ group: TOP, message: 'realtime/ does not import the module that wires it.' }, REPOSITORY_INTERNALS],
  },
];

module.exports = { LAYER_ZONES };
