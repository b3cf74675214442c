import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What a ticket stands for: a user, and where their client's stream should resume from. */
export interface TicketClaims {
  user_id: string;
  since: Record<string, number>;
  /** When the credential the ticket was issued for expires (ms since the epoch); the connection closes then. */
  expires_at?: number | null;
}

/**
 * Single-use, short-lived tickets. Only a hash of the ticket is stored, so a leaked store (or log)
 * yields nothing usable. `consume` is atomic: of two concurrent uses, exactly one succeeds.
 */
export abstract class TicketStore {
  abstract save(ticket: string, claims: TicketClaims, ttlSeconds: number): Promise<void>;
  abstract consume(ticket: string): Promise<TicketClaims | null>;
}

export const hashTicket = (ticket: string): string => createHash('sha256').update(ticket).digest('base64url');

/** One instance: a map with expiry times, swept lazily. */
export class InMemoryTicketStore extends TicketStore {
  private readonly tickets = new Map<string, { claims: TicketClaims; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  async save(ticket: string, claims: TicketClaims, ttlSeconds: number): Promise<void> {
    this.sweep();
    this.tickets.set(hashTicket(ticket), { claims, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async consume(ticket: string): Promise<TicketClaims | null> {
    const key = hashTicket(ticket);
    const entry = this.tickets.get(key);
    this.tickets.delete(key);
    if (!entry || entry.expiresAt <= this.now()) return null;
    return entry.claims;
  }

  private sweep(): void {
    if (this.tickets.size < 1000) return;
    const now = this.now();
    for (const [key, entry] of this.tickets) if (entry.expiresAt <= now) this.tickets.delete(key);
  }
}

/** Several instances: `SET EX` + `GETDEL`, so a ticket issued by instance A is accepted once, by any instance. */
export class RedisTicketStore extends TicketStore {
  constructor(
    private readonly redis: () => Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  async save(ticket: string, claims: TicketClaims, ttlSeconds: number): Promise<void> {
    await this.redis().set(`${this.prefix}:ticket:${hashTicket(ticket)}`, JSON.stringify(claims), 'EX', Math.ceil(ttlSeconds));
  }

  async consume(ticket: string): Promise<TicketClaims | null> {
    const raw = await this.redis().getdel(`${this.prefix}:ticket:${hashTicket(ticket)}`);
    return raw ? (JSON.parse(raw) as TicketClaims) : null;
  }
}
