import { InMemoryTicketStore } from './ticket-store';
import { parseSince } from './realtime-tickets.service';

describe('InMemoryTicketStore', () => {
  it('accepts a ticket once, and not after it expired', async () => {
    let now = 1_000_000;
    const store = new InMemoryTicketStore(() => now);
    await store.save('ticket-a', { user_id: 'u1', since: {} }, 30);
    await store.save('ticket-b', { user_id: 'u1', since: {} }, 30);
    expect(await store.consume('ticket-a')).toEqual({ user_id: 'u1', since: {} });
    expect(await store.consume('ticket-a')).toBeNull();
    now += 30_000;
    expect(await store.consume('ticket-b')).toBeNull();
    expect(await store.consume('never-issued')).toBeNull();
  });
});

describe('parseSince', () => {
  const id = '6F1C1D2E-8A4B-4C11-9F1E-1A2B3C4D5E6F';
  const MAX_ENTRIES = 2;
  it('normalises ids and accepts non-negative integers', () => {
    expect(parseSince({ [id]: 4 }, MAX_ENTRIES)).toEqual({ [id.toLowerCase()]: 4 });
    expect(parseSince(undefined, MAX_ENTRIES)).toEqual({});
  });
  it.each([[[]], ['x'], [{ nope: 1 }], [{ [id]: -1 }], [{ [id]: 1.5 }], [{ [id]: '3' }]])('rejects %j', (value) => {
    expect(() => parseSince(value, MAX_ENTRIES)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
  it('rejects more conversations than the limit', () => {
    const three = Object.fromEntries([1, 2, 3].map((n) => [`6f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6${n}`, n]));
    expect(() => parseSince(three, MAX_ENTRIES)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    expect(Object.keys(parseSince(three, 3))).toHaveLength(3);
  });
});
