import { message } from '@testing/chat-fixtures';

import { contiguousSeq, mergeMessages, newClientMessageId } from './message-timeline-order';

const C = '00000000-0000-4000-8000-00000000000a';

describe('mergeMessages', () => {
  it('orders by seq whatever the arrival order', () => {
    const merged = mergeMessages([message(C, 3)], [message(C, 5), message(C, 1), message(C, 4), message(C, 2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps one copy per id (poll, send response and events may overlap)', () => {
    const once = mergeMessages([], [message(C, 1), message(C, 2)]);
    const twice = mergeMessages(once, [message(C, 2), message(C, 1), message(C, 2)]);
    expect(twice.map((m) => m.id)).toEqual(['a-m1', 'a-m2']);
    expect(twice).toBe(once);
  });

  it('replaces a message whose edit time changed', () => {
    const edited = message(C, 1, { content: 'corregido', edited_at: '2026-03-01T17:00:00.000Z' });
    expect(mergeMessages([message(C, 1)], [edited])[0].content).toBe('corregido');
  });
});

describe('contiguousSeq', () => {
  it('is the last seq without a hole below it', () => {
    expect(contiguousSeq([])).toBe(0);
    expect(contiguousSeq([message(C, 4), message(C, 5), message(C, 6)])).toBe(6);
    expect(contiguousSeq([message(C, 4), message(C, 5), message(C, 9)])).toBe(5);
  });
});

describe('newClientMessageId', () => {
  it('is a UUID v4, unique per call', () => {
    const a = newClientMessageId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newClientMessageId()).not.toBe(a);
  });
});
