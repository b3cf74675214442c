/**
 * Start-up time is mostly loading modules (issue 19): packages a server without API docs or SMTP never
 * uses must not be loaded by the server's module graph (see `openapi/api-docs.ts` in the chat domain and
 * `smtp-chat-notifier.ts`).
 */
const LAZY_PACKAGES = ['@nestjs/swagger', 'nodemailer'] as const;

function loadWithTracking(load: () => void): Set<string> {
  const loaded = new Set<string>();
  jest.isolateModules(() => {
    for (const name of LAZY_PACKAGES) {
      jest.doMock(name, () => {
        loaded.add(name);
        return jest.requireActual(name);
      });
    }
    load();
  });
  return loaded;
}

describe('modules loaded at start-up', () => {
  afterEach(() => {
    for (const name of LAZY_PACKAGES) jest.dontMock(name);
  });

  it('the server (app factory, app module, the whole chat domain) loads neither @nestjs/swagger nor nodemailer', () => {
    const loaded = loadWithTracking(() => {
      jest.requireActual('./app.factory');
      jest.requireActual('./app.module');
    });
    expect([...loaded]).toEqual([]);
  });

  it('building the OpenAPI document loads @nestjs/swagger', () => {
    const loaded = loadWithTracking(() => {
      const { loadApiDocs } = jest.requireActual<typeof import('@support-chat/chat-domain')>('@support-chat/chat-domain');
      loadApiDocs();
    });
    expect([...loaded]).toEqual(['@nestjs/swagger']);
  });

  it('the SMTP notifier loads nodemailer only when SMTP_URL is set', () => {
    const notifier = (env: Record<string, string>) =>
      loadWithTracking(() => {
        const { SmtpChatNotifier } = jest.requireActual<typeof import('./notifications/smtp-chat-notifier')>('./notifications/smtp-chat-notifier');
        new SmtpChatNotifier({ env } as never).onModuleDestroy();
      });
    expect([...notifier({})]).toEqual([]);
    expect([...notifier({ SMTP_URL: 'smtp://127.0.0.1:2525' })]).toEqual(['nodemailer']);
  });
});
