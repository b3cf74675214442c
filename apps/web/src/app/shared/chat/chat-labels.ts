import type { ConversationDto } from '@app/api/models';

export type ConversationStatus = ConversationDto['status'];
// Optional in the DTO: staff-only, candidates never receive it.
export type ConversationPriority = NonNullable<ConversationDto['priority']>;

export const STATUS_LABELS: Readonly<Record<ConversationStatus, string>> = {
  open: 'Abierta',
  resolved: 'Resuelta',
  closed: 'Cerrada',
};

export const PRIORITY_LABELS: Readonly<Record<ConversationPriority, string>> = {
  low: 'Baja',
  normal: 'Normal',
  high: 'Alta',
};

export const CONVERSATION_STATUSES: readonly ConversationStatus[] = ['open', 'resolved', 'closed'];
export const CONVERSATION_PRIORITIES: readonly ConversationPriority[] = ['low', 'normal', 'high'];

/** "1.5 MB", "320 KB", "12 bytes" (es-MX decimals). */
export function formatBytes(bytes: number): string {
  const format = (value: number) => value.toLocaleString('es-MX', { maximumFractionDigits: 1 });
  if (bytes >= 1024 * 1024) return `${format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${format(bytes / 1024)} KB`;
  return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** A subject to show even when the conversation has none. */
export function subjectOf(conversation: Pick<ConversationDto, 'subject'>): string {
  return conversation.subject?.trim() || 'Sin asunto';
}
