import { resolve } from 'node:path';

import { DatabaseUrlError, DEFAULT_DATABASE_URL, parseDatabaseUrl, redactUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('parses the default SQLite URL relative to the working directory, with WAL and never synchronize', () => {
    const options = parseDatabaseUrl(DEFAULT_DATABASE_URL, { cwd: '/srv/app' });
    expect(options).toMatchObject({ type: 'better-sqlite3', database: '/srv/app/data/support-chat.sqlite', enableWAL: true, synchronize: false });
  });

  it('accepts absolute paths, sqlite:// and in-memory databases', () => {
    expect(parseDatabaseUrl('sqlite:/var/lib/chat.db')).toMatchObject({ type: 'better-sqlite3', database: '/var/lib/chat.db' });
    expect(parseDatabaseUrl('sqlite://relative/chat.db', { cwd: '/x' })).toMatchObject({ database: resolve('/x', 'relative/chat.db') });
    expect(parseDatabaseUrl('sqlite::memory:')).toMatchObject({ type: 'better-sqlite3', database: ':memory:', enableWAL: false });
  });

  it('sets busy_timeout and synchronous=FULL on each SQLite connection', () => {
    const options = parseDatabaseUrl('sqlite::memory:');
    const pragmas: string[] = [];
    if (options.type !== 'better-sqlite3' || !options.prepareDatabase) throw new Error('expected better-sqlite3 with prepareDatabase');
    void options.prepareDatabase({ pragma: (source: string) => pragmas.push(source) });
    expect(pragmas).toEqual(['busy_timeout = 5000', 'synchronous = FULL']);
  });

  it('parses PostgreSQL URLs with credentials, schema and sslmode', () => {
    expect(parseDatabaseUrl('postgres://chat:s%40cret@db.example.com:6543/support?schema=app&sslmode=require')).toMatchObject({
      type: 'postgres',
      host: 'db.example.com',
      port: 6543,
      username: 'chat',
      password: 's@cret',
      database: 'support',
      schema: 'app',
      ssl: { rejectUnauthorized: false },
      synchronize: false,
    });
    const plain = parseDatabaseUrl('postgresql://u:p@localhost/db');
    expect(plain).toMatchObject({ type: 'postgres', port: 5432 });
    expect(plain).not.toHaveProperty('ssl');
  });

  it('parses MySQL and MariaDB URLs with utf8mb4 and UTC', () => {
    expect(parseDatabaseUrl('mysql://root:pw@127.0.0.1/chat')).toMatchObject({
      type: 'mysql',
      host: '127.0.0.1',
      port: 3306,
      username: 'root',
      password: 'pw',
      database: 'chat',
      charset: expect.stringMatching(/^utf8mb4/),
      timezone: 'Z',
    });
    expect(parseDatabaseUrl('mariadb://u:p@maria:3307/chat')).toMatchObject({ type: 'mariadb', port: 3307 });
  });

  it('parses SQL Server URLs with encryption on by default and options from the query string', () => {
    expect(parseDatabaseUrl('mssql://sa:Pass%21word@myserver.database.windows.net/chatdb')).toMatchObject({
      type: 'mssql',
      host: 'myserver.database.windows.net',
      port: 1433,
      username: 'sa',
      password: 'Pass!word',
      database: 'chatdb',
      options: { encrypt: true, trustServerCertificate: false, useUTC: true },
    });
    const local = parseDatabaseUrl('sqlserver://sa:pw@localhost:14330/chat?encrypt=false&trustServerCertificate=true&instanceName=SQLEXPRESS');
    expect(local).toMatchObject({ type: 'mssql', options: { encrypt: false, trustServerCertificate: true, instanceName: 'SQLEXPRESS' } });
    expect(local).not.toHaveProperty('port');
  });

  it('passes the entities through', () => {
    class Example {}
    expect(parseDatabaseUrl('sqlite::memory:', { entities: [Example] }).entities).toEqual([Example]);
  });

  it.each([
    ['', /empty/],
    ['oracle://u:p@h/db', /unsupported scheme "oracle"/],
    ['not a url', /not a URL|unsupported/],
    ['sqlite:', /needs a file path/],
    ['mssql://u:p@h/db?encrypt=maybe', /encrypt must be true or false/],
  ])('rejects %j with a clear message', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(DatabaseUrlError);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });

  it('never echoes a password in its errors or in redacted URLs', () => {
    expect(redactUrl('postgres://chat:topsecret@db/support')).toBe('postgres://chat:***@db/support');
    expect(() => parseDatabaseUrl('ftp://chat:topsecret@db/support')).not.toThrow(/topsecret/);
  });
});
