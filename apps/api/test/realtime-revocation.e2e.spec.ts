import { JwtService } from '@nestjs/jwt';
import type { AddressInfo } from 'node:net';

import { JWT_AUDIENCE, JWT_ISSUER } from '../src/auth/jwt.strategy';
import { createTestApp, TEST_JWT_SECRET, TestApp } from './test-app';

/** Reads an SSE response to its end: the names and data of its events. */
class SseReader {
  readonly events: { name: string; data: any }[] = [];
  closed = false;

  constructor(private readonly controller: AbortController) {}

  static async open(url: string): Promise<SseReader> {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = new SseReader(controller);
    void reader.read(response.body!);
    return reader;
  }

  named(name: string): { name: string; data: any }[] {
    return this.events.filter((event) => event.name === name);
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let index;
        while ((index = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, index).split('\n');
          buffer = buffer.slice(index + 2);
          const name = frame.find((line) => line.startsWith('event: '))?.slice(7);
          const data = frame.find((line) => line.startsWith('data: '))?.slice(6);
          if (name && data) this.events.push({ name, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by close()
    }
    this.closed = true;
  }
}

async function waitUntil(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Issue 13, point 1, through the real host: the JWT's `exp` reaches the chat's realtime layer (the stream
 * closes when the token expires), and deactivating a user in the host's store closes their open stream.
 */
describe('realtime streams lose access with the host session', () => {
  let t: TestApp;
  let baseUrl: string;
  const open: SseReader[] = [];

  const stream = async (token: string): Promise<SseReader> => {
    const response = await fetch(`${baseUrl}/api/support/chat/events/ticket`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(201);
    const { ticket } = (await response.json()) as { ticket: string };
    const client = await SseReader.open(`${baseUrl}/api/support/chat/events?ticket=${ticket}`);
    open.push(client);
    await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { SUPPORT_CHAT_REALTIME_RECHECK_SECONDS: '0.2' } });
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await t.close();
  });

  it('closes the stream with access_revoked (session_expired) when the bearer token expires', async () => {
    const candidate = (await t.users.findByUsername('candidato1'))!;
    const token = await new JwtService({ secret: TEST_JWT_SECRET }).signAsync(
      { sub: candidate.id },
      { algorithm: 'HS256', expiresIn: 2, issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
    );
    const client = await stream(token);
    await waitUntil(() => client.closed, 'the stream to close');
    expect(client.named('access_revoked').map((event) => event.data.code)).toEqual(['session_expired']);
  });

  it('closes the stream with access_revoked (user_inactive) when the host deactivates the user', async () => {
    const client = await stream(await t.loginAs('candidato2'));
    const candidate = (await t.users.findByUsername('candidato2'))!;
    await t.users.setActive(candidate.id, false);
    await waitUntil(() => client.closed, 'the stream to close');
    expect(client.named('access_revoked').map((event) => event.data.code)).toEqual(['user_inactive']);
  });
});
