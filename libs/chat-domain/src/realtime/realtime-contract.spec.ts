import { formatRealtimeEventId, parseRealtimeEventId, RealtimeCursor } from './realtime-contract';

const C1 = '6f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f';

describe('realtime contract', () => {
  it('round-trips event ids and rejects anything else', () => {
    expect(parseRealtimeEventId(formatRealtimeEventId(C1, 42))).toEqual({ conversation_id: C1, seq: 42 });
    expect(parseRealtimeEventId(formatRealtimeEventId(null, 0))).toBeNull();
    expect(parseRealtimeEventId('x:1')).toBeNull();
    expect(parseRealtimeEventId(undefined)).toBeNull();
  });

  it('cursor: delivers the next seq, drops duplicates, reports holes, never moves back', () => {
    const cursor = new RealtimeCursor({ [C1]: 3 });
    expect(cursor.check(C1, 4)).toBe('deliver');
    expect(cursor.check(C1, 3)).toBe('duplicate');
    expect(cursor.check(C1, 6)).toEqual({ gap: { conversation_id: C1, after_seq: 3, before_seq: 6 } });
    cursor.advance(C1, 5);
    cursor.advance(C1, 2);
    expect(cursor.position(C1)).toBe(5);
    expect(cursor.check('other', 9)).toBe('deliver');
    expect(cursor.since()).toEqual({ [C1]: 5 });
  });
});
