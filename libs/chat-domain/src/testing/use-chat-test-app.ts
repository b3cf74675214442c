/**
 * Jest hooks for the suites that drive the chat module over HTTP: a fresh test app (and its database)
 * before each test, closed after it, so no test sees another's rows.
 */
import { ChatScenario } from './chat-scenario';
import { ChatTestApp, createChatTestApp } from './chat-test-app';

/**
 * Call at describe level. `ctx` stands for the current test's app (use it only inside tests and
 * hooks); `chat` builds data through it.
 */
export function useChatTestApp(options: Parameters<typeof createChatTestApp>[0] = {}): { ctx: ChatTestApp; chat: ChatScenario } {
  let app: ChatTestApp | undefined;
  beforeEach(async () => {
    app = await createChatTestApp(options);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const current = (): ChatTestApp => {
    if (!app) throw new Error('useChatTestApp(): the app is used outside a test (before beforeEach() started it).');
    return app;
  };
  const ctx: ChatTestApp = {
    get app() {
      return current().app;
    },
    get dataSource() {
      return current().dataSource;
    },
    get users() {
      return current().users;
    },
    get queries() {
      return current().queries;
    },
    as: (user) => current().as(user),
    asUserId: (userId) => current().asUserId(userId),
    close: () => current().close(),
  };
  return { ctx, chat: new ChatScenario(ctx) };
}
