import { ESLint } from 'eslint';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * The import rules of `eslint.config.mjs` that keep the shared contract shared: reached only through its
 * alias (from the module and the web app), and itself types only, importing nothing. Linted with the
 * repository's own config; only the two boundary rules run (they need no type information).
 */
describe('ESLint boundaries of libs/chat-contract and libs/chat-domain', () => {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-syntax',
  });
  /** The rules that complained (each once). */
  const problems = async (file: string, code: string) => [
    ...new Set((await eslint.lintText(code, { filePath: join(ROOT, file) })).flatMap((result) => result.messages.map((message) => message.ruleId))),
  ];

  it('the module and the web app import the contract only as @support-chat/chat-contract', async () => {
    const alias = "import type { RealtimeEventMap } from '@support-chat/chat-contract';\nexport type X = RealtimeEventMap<string, string>;\n";
    expect(await problems('libs/chat-domain/src/realtime/example.ts', alias)).toEqual([]);
    expect(await problems('apps/web/src/app/core/realtime/example.ts', alias)).toEqual([]);
    for (const [file, source] of [
      ['libs/chat-domain/src/realtime/example.ts', '../../../chat-contract/src'],
      ['libs/chat-domain/src/realtime/example.ts', '@support-chat/chat-contract/realtime'],
      ['libs/chat-domain/test/example.spec.ts', '../../chat-contract/src/errors'],
      ['apps/web/src/app/core/realtime/example.ts', '../../../../../../libs/chat-contract/src/realtime'],
      ['apps/web/src/app/core/realtime/example.ts', '@support-chat/chat-contract/errors'],
      ['apps/api/src/example.ts', '../../../libs/chat-contract/src'],
    ]) {
      expect({ file, source, problems: await problems(file, `import type { X } from '${source}';\nexport type Y = X;\n`) }).toEqual({
        file,
        source,
        problems: ['no-restricted-imports'],
      });
    }
  });

  it('libs/chat-domain imports neither Express nor Fastify (it runs on both adapters)', async () => {
    const file = 'libs/chat-domain/src/reports/example.ts';
    expect(await problems(file, "import type { ChatHttpResponse } from '../http/http-response';\nexport type R = ChatHttpResponse;\n")).toEqual([]);
    for (const source of ['express', 'fastify', '@nestjs/platform-express', '@nestjs/platform-fastify', '@fastify/static']) {
      expect({ source, problems: await problems(file, `import type { X } from '${source}';\nexport type Y = X;\n`) }).toEqual({
        source,
        problems: ['no-restricted-imports'],
      });
    }
  });

  it('libs/chat-contract imports nothing and declares types only', async () => {
    const file = 'libs/chat-contract/src/example.ts';
    expect(
      await problems(file, "import type { A } from './errors';\nexport type B = A;\nexport interface C { d: B }\nexport type * from './realtime';\n"),
    ).toEqual([]);
    expect(await problems(file, "import type { Observable } from 'rxjs';\nexport type B = Observable<number>;\n")).toEqual(['no-restricted-syntax']);
    expect(await problems(file, "export type { ChatEvent } from '@support-chat/chat-domain';\n")).toEqual(['no-restricted-syntax']);
    expect(await problems(file, "export * from '../../chat-domain/src';\n")).toEqual(['no-restricted-syntax']);
    expect(await problems(file, "export const NAMES = ['a'];\n")).toEqual(['no-restricted-syntax']);
    expect(await problems(file, 'export enum Code { A = "a" }\n')).toEqual(['no-restricted-syntax']);
    expect(await problems(file, 'export function f(): void {}\n')).toEqual(['no-restricted-syntax']);
    expect(await problems(file, 'export class K {}\n')).toEqual(['no-restricted-syntax']);
  });
});
