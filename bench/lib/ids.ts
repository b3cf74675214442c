/**
 * Deterministic ids for seeded rows: valid UUIDs (version 4 layout) whose first hex digit says what
 * they are and whose digits encode the index, so the benchmark can name rows without querying.
 *   a... conversation, b... message, c... candidate, d... staff, e... participant, f... client message id
 */
function uuid(kind: string, a: number, b = 0): string {
  return `${kind}${a.toString(16).padStart(7, '0')}-0000-4000-8000-${b.toString(16).padStart(12, '0')}`;
}

export const conversationId = (index: number): string => uuid('a', index);
export const messageId = (conversation: number, seq: number): string => uuid('b', conversation, seq);
export const clientMessageId = (conversation: number, seq: number): string => uuid('f', conversation, seq);
export const candidateId = (index: number): string => uuid('c', index);
export const staffId = (index: number): string => uuid('d', index);
export const participantId = (conversation: number, slot: number): string => uuid('e', conversation, slot);

export const candidateUsername = (index: number): string => `bench_candidato_${index}`;
export const staffUsername = (index: number): string => `bench_soporte_${index}`;
/** Staff 0 is `soporte` (the benchmark's inbox user); a few admins and developers among the rest. */
export const staffRole = (index: number): string => (index > 0 && index % 10 === 0 ? 'admin' : index > 0 && index % 10 === 5 ? 'developer' : 'soporte');

/** The one password every seeded user has (hashed once). */
export const BENCH_PASSWORD = 'Bench-Password-1!';
