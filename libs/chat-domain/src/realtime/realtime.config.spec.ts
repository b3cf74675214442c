import { resolveRealtimeConfig } from './realtime.config';

describe('realtime configuration', () => {
  it('defaults: re-check every 30 s, `since` of 200 conversations, 10 streams and 10 sockets per user', () => {
    expect(resolveRealtimeConfig({}, {})).toMatchObject({ accessRecheckSeconds: 30, maxSinceEntries: 200, maxStreamsPerUser: 10, maxSocketsPerUser: 10 });
  });

  it('reads the SUPPORT_CHAT_REALTIME_* variables; options override them; 0 lifts a connection limit', () => {
    const env = {
      SUPPORT_CHAT_REALTIME_RECHECK_SECONDS: '5',
      SUPPORT_CHAT_REALTIME_MAX_SINCE_ENTRIES: '50',
      SUPPORT_CHAT_REALTIME_MAX_STREAMS_PER_USER: '0',
      SUPPORT_CHAT_REALTIME_MAX_SOCKETS_PER_USER: '3',
    };
    expect(resolveRealtimeConfig({}, env)).toMatchObject({ accessRecheckSeconds: 5, maxSinceEntries: 50, maxStreamsPerUser: 0, maxSocketsPerUser: 3 });
    expect(resolveRealtimeConfig({ accessRecheckSeconds: 0.2, maxSocketsPerUser: 1 }, env)).toMatchObject({ accessRecheckSeconds: 0.2, maxSocketsPerUser: 1 });
  });

  it('refuses nonsense at start-up', () => {
    expect(() => resolveRealtimeConfig({}, { SUPPORT_CHAT_REALTIME_RECHECK_SECONDS: 'a menudo' })).toThrow(/SUPPORT_CHAT_REALTIME_RECHECK_SECONDS/);
    expect(() => resolveRealtimeConfig({}, { SUPPORT_CHAT_REALTIME_RECHECK_SECONDS: '0' })).toThrow(/SUPPORT_CHAT_REALTIME_RECHECK_SECONDS/);
    expect(() => resolveRealtimeConfig({}, { SUPPORT_CHAT_REALTIME_MAX_STREAMS_PER_USER: '-1' })).toThrow(/SUPPORT_CHAT_REALTIME_MAX_STREAMS_PER_USER/);
    expect(() => resolveRealtimeConfig({}, { SUPPORT_CHAT_REALTIME_MAX_SINCE_ENTRIES: '2.5' })).toThrow(/SUPPORT_CHAT_REALTIME_MAX_SINCE_ENTRIES/);
  });
});
