import type { ChatUserRecord } from '../libs/chat-domain/src/users/chat-user-directory';

const pad = (n: number) => String(n).padStart(12, '0');

/** Users of the benchmark: `candidates` candidates and `agents` support agents (ids are UUID-shaped). */
export function benchUsers(candidates: number, agents: number): { candidates: ChatUserRecord[]; agents: ChatUserRecord[] } {
  return {
    candidates: Array.from({ length: candidates }, (_, i) => ({
      id: `b0000000-0000-4000-8000-${pad(i + 1)}`,
      role: 'candidato',
      full_name: `Candidato ${i + 1}`,
      is_active: true,
    })),
    agents: Array.from({ length: agents }, (_, i) => ({
      id: `b1000000-0000-4000-8000-${pad(i + 1)}`,
      role: 'soporte',
      full_name: `Agente ${i + 1}`,
      is_active: true,
    })),
  };
}
