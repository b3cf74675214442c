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
  it('normalises ids and accepts non-negative integers', () => {
    expect(parseSince({ [id]: 4 })).toEqual({ [id.toLowerCase()]: 4 });
    expect(parseSince(undefined)).toEqual({});
  });
  it.each([[[]], ['x'], [{ nope: 1 }], [{ [id]: -1 }], [{ [id]: 1.5 }], [{ [id]: '3' }]])('rejects %j', (value) => {
    expect(() => parseSince(value)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});
