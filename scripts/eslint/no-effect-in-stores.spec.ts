import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * Lints `code` as the content of the existing file `path`, with the repository's own configuration
 * (typed linting only parses files that belong to a tsconfig). Fails on a parse error, so an empty
 * result means the code was linted and passed.
 */
function lint(path: string, code: string): { ruleId: string | null; message: string }[] {
  const eslint = join(REPO_ROOT, 'node_modules', '.bin', 'eslint');
  const result = spawnSync(eslint, ['--format', 'json', '--stdin', '--stdin-filename', path], { cwd: REPO_ROOT, encoding: 'utf8', input: code });
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  expect(report.messages.filter((message) => message.ruleId === null)).toEqual([]);
  return report.messages;
}

const WITH_EFFECT = `import { effect, signal } from '@angular/core';

export class CopyStore {
  readonly source = signal(1);
  readonly copy = signal(0);

  constructor() {
    effect(() => this.copy.set(this.source()));
  }
}
`;

describe('no effect() in web stores (eslint.config.mjs)', () => {
  it('fails an effect in a *.store.ts file, both the import and the call', () => {
    const messages = lint('apps/web/src/app/shared/chat/conversation-list.store.ts', WITH_EFFECT).filter(
      (message) => message.ruleId === 'no-restricted-syntax',
    );
    expect(messages).toHaveLength(2);
    expect(messages[0].message).toContain('No effect() in stores');
  });

  it('leaves effects elsewhere (components syncing with non-reactive APIs) alone', () => {
    const messages = lint('apps/web/src/app/shared/chat/conversation-pane.component.ts', WITH_EFFECT).filter(
      (message) => message.ruleId === 'no-restricted-syntax',
    );
    expect(messages).toEqual([]);
  });
});

const WITH_TO_OBSERVABLE = `import { inject, Injectable, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';

import { ConversationStore } from './conversation.store';

@Injectable()
export class CopyService {
  private readonly conversation = inject(ConversationStore);
  private readonly own = signal('');

  connect(): void {
    toObservable(this.conversation.conversation).subscribe();
    toObservable(this.own).subscribe();
  }
}
`;

describe('no toObservable() of another object’s signal in the web app (eslint.config.mjs)', () => {
  it('fails toObservable of a store’s state, and only that one', () => {
    const messages = lint('apps/web/src/app/shared/chat/chat-page-sync.service.ts', WITH_TO_OBSERVABLE).filter(
      (message) => message.ruleId === 'no-restricted-syntax',
    );
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toContain('No toObservable()');
  });

  it('fails it in stores too, next to the effect rule', () => {
    const messages = lint('apps/web/src/app/shared/chat/conversation-list.store.ts', WITH_TO_OBSERVABLE).filter(
      (message) => message.ruleId === 'no-restricted-syntax',
    );
    expect(messages).toHaveLength(1);
  });
});
