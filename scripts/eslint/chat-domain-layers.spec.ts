import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** The `no-restricted-imports` options `npm run lint` really applies to `file` (from the lint configuration). */
const configs = new Map<string, Linter.RuleEntry>();
function restrictedImportsFor(file: string): Linter.RuleEntry {
  const known = configs.get(file);
  if (known) return known;
  const eslint = join(REPO_ROOT, 'node_modules', '.bin', 'eslint');
  const result = spawnSync(eslint, ['--print-config', file], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(result.status).toBe(0);
  const entry = (JSON.parse(result.stdout) as { rules: Record<string, Linter.RuleEntry> }).rules['no-restricted-imports'];
  configs.set(file, entry);
  return entry;
}

function errors(file: string, code: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-imports': restrictedImportsFor(file) } }],
    {
      filename: join(REPO_ROOT, file),
    },
  );
  return messages.map((message) => message.message);
}

/** Each case: a file of a layer, an import that reaches up (refused) and one that stays at or below (accepted). */
const CASES: { file: string; backReference: string; allowed: string }[] = [
  { file: 'libs/chat-domain/src/audit/chat-audit-trail.ts', backReference: '../conversations/conversations.service', allowed: '../persistence/repositories' },
  { file: 'libs/chat-domain/src/domain/conversation-status.ts', backReference: '../persistence/entities', allowed: '../domain/message-type' },
  {
    file: 'libs/chat-domain/src/persistence/entities/support-message.entity.ts',
    backReference: '../../messages/dto/message-response.dto',
    allowed: '../../domain/message-type',
  },
  {
    file: 'libs/chat-domain/src/persistence/repositories/timeline.repository.ts',
    backReference: '../../conversations/conversation.policy',
    allowed: './statement-cache',
  },
  {
    file: 'libs/chat-domain/src/conversations/conversations.service.ts',
    backReference: '../messages/messages.service',
    allowed: '../messages/dto/message-response.dto',
  },
  {
    file: 'libs/chat-domain/src/conversations/conversations.service.ts',
    backReference: '../read-state/read-state.service',
    allowed: '../persistence/repositories',
  },
  {
    file: 'libs/chat-domain/src/conversations/conversations.service.ts',
    backReference: '../persistence/repositories/statement-cache',
    allowed: '../domain/conversation-status',
  },
  {
    file: 'libs/chat-domain/src/messages/messages.service.ts',
    backReference: '../read-state/read-state.service',
    allowed: '../conversations/conversations.service',
  },
  {
    file: 'libs/chat-domain/src/read-state/read-state.service.ts',
    backReference: '../realtime/message-replay',
    allowed: '../messages/dto/message-response.dto',
  },
  { file: 'libs/chat-domain/src/realtime/message-replay.ts', backReference: '../support-chat.module', allowed: '../persistence/repositories' },
  {
    file: 'libs/chat-domain/src/labels/labels.service.ts',
    backReference: '../persistence/repositories/label.repository',
    allowed: '../conversations/conversations.service',
  },
  { file: 'libs/chat-domain/src/quick-replies/quick-replies.service.ts', backReference: '../support-chat.providers', allowed: '../persistence/repositories' },
  {
    file: 'libs/chat-domain/src/conversations/conversations.service.ts',
    backReference: '../labels/labels.service',
    allowed: '../conversations/dto/conversation-label.dto',
  },
  // Issue 17 folders: service-hours/ below messages/, csat/ above conversations/, automation/ and transcript/ on top.
  {
    file: 'libs/chat-domain/src/service-hours/business-hours.service.ts',
    backReference: '../messages/messages.service',
    allowed: '../persistence/repositories',
  },
  {
    file: 'libs/chat-domain/src/messages/messages.service.ts',
    backReference: '../csat/ratings.service',
    allowed: '../service-hours/business-hours.service',
  },
  {
    file: 'libs/chat-domain/src/conversations/conversations.service.ts',
    backReference: '../csat/ratings.service',
    allowed: '../csat/dto/rating.dto',
  },
  { file: 'libs/chat-domain/src/csat/ratings.service.ts', backReference: '../automation/auto-resolve.job', allowed: '../conversations/conversations.service' },
  { file: 'libs/chat-domain/src/transcript/transcript.service.ts', backReference: '../realtime/chat-event-broker', allowed: '../domain/html' },
  { file: 'libs/chat-domain/src/automation/auto-resolve.job.ts', backReference: '../support-chat.module', allowed: '../conversations/conversations.service' },
  { file: 'libs/chat-domain/src/audit/chat-audit-trail.ts', backReference: '../service-hours/business-hours.service', allowed: '../domain/system-sender' },
  { file: 'libs/chat-domain/src/domain/html.ts', backReference: '../transcript/transcript.service', allowed: './system-sender' },
  { file: 'libs/chat-domain/src/persistence/repositories/timeline.repository.ts', backReference: '../../automation/away-email', allowed: '../../domain/html' },
];

describe('chat-domain layers (eslint no-restricted-imports zones)', () => {
  it.each(CASES)('$file: refuses $backReference, accepts $allowed', ({ file, backReference, allowed }) => {
    expect(errors(file, `import { x } from '${backReference}';\nexport const y = x;`)).toHaveLength(1);
    expect(errors(file, `import { x } from '${allowed}';\nexport const y = x;`)).toEqual([]);
  });

  it('refuses query-building imports from typeorm in the services', () => {
    expect(
      errors(
        'libs/chat-domain/src/messages/messages.service.ts',
        "import { Brackets, EntityManager } from 'typeorm';\nexport const y = [Brackets, 1 as unknown as EntityManager];",
      ),
    ).toHaveLength(1);
    expect(errors('libs/chat-domain/src/messages/messages.service.ts', "import { EntityManager } from 'typeorm';\nexport type Y = EntityManager;")).toEqual([]);
  });
});
