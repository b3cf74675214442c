/**
 * Request logs redact what identifies people or grants access (issue 13). Alone in its file on purpose:
 * nestjs-pino builds one request logger per process (per jest file), configured by the first app, so
 * the capturing app must be the only one.
 */
import { createTestApp } from './test-app';

describe('request logs', () => {
  it('redact the SSE ticket and the query strings of chat and user-directory routes', async () => {
    const lines: string[] = [];
    const t = await createTestApp({ env: { LOG_LEVEL: 'debug' }, logDestination: { write: (line) => void lines.push(line) } });
    try {
      await t.http.get('/api/support/chat/events?ticket=ticket-secreto-0123456789').expect(401);
      await t.as('soporte1').get('/api/support/chat/conversations?search=Ana%20Mar%C3%ADa&page=1').expect(200);
      await t.as('soporte1').get('/api/users?role=candidato&search=L%C3%B3pez').expect(200);
      await t.http.get('/api/health?ticket=otro-ticket').expect(200);
      // Express routes paths case-insensitively: these reach the inbox and the user directory too.
      await t.as('soporte1').get('/API/Support/Chat/conversations?search=Bea%20Trizia').expect(200);
      await t.as('soporte1').get('/api/USERS?search=Cristobalina').expect(200);
      const requests = () => lines.map((line) => JSON.parse(line) as { req?: { url?: string } }).flatMap((entry) => (entry.req?.url ? [entry.req.url] : []));
      for (let i = 0; i < 100 && !requests().some((url) => url.startsWith('/api/USERS')); i++) await new Promise((resolve) => setTimeout(resolve, 10));

      expect(requests()).toEqual(
        expect.arrayContaining([
          '/api/support/chat/events?ticket=[redacted]',
          '/api/support/chat/conversations?search=[redacted]&page=[redacted]',
          '/api/users?role=[redacted]&search=[redacted]',
        ]),
      );

      // The error path too: with the database gone, the filter's error line and the 500 line carry the request.
      const token = await t.loginAs('soporte1');
      await t.dataSource.destroy();
      await t.http.get('/api/support/chat/conversations?search=Dolores').set('Authorization', `Bearer ${token}`).expect(500);
      const errors = () => lines.map((line) => JSON.parse(line) as { level: number; req?: { url?: string } }).filter((entry) => entry.level >= 50);
      for (let i = 0; i < 100 && errors().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(errors().map((entry) => entry.req?.url)).toEqual([
        '/api/support/chat/conversations?search=[redacted]',
        '/api/support/chat/conversations?search=[redacted]',
      ]);

      const output = lines.join('');
      for (const secret of ['ticket-secreto', 'Ana', 'Mar%C3%ADa', 'L%C3%B3pez', 'otro-ticket', 'Trizia', 'Cristobalina', 'Dolores']) {
        expect(output).not.toContain(secret);
      }
    } finally {
      await t.close();
    }
  });
});
