import type { AuditActionValue } from '@support-chat/chat-contract';

/** Spanish name of every audit action (the compiler asks for a label when the contract gains an action). */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditActionValue, string>> = {
  'conversation.created': 'Conversación abierta por soporte',
  'conversation.assigned': 'Asignación',
  'conversation.transferred': 'Transferencia',
  'conversation.escalated': 'Escalamiento',
  'conversation.returned': 'Regreso al equipo de agentes',
  'conversation.priority_changed': 'Cambio de prioridad',
  'conversation.status_changed': 'Cambio de estado',
  'note.created': 'Nota interna',
  'note.changed': 'Nota interna modificada',
  'labels.changed': 'Cambio de etiquetas',
  'label.created': 'Etiqueta creada',
  'label.changed': 'Etiqueta modificada',
  'label.deleted': 'Etiqueta eliminada',
  'quick_reply.created': 'Respuesta rápida creada',
  'quick_reply.changed': 'Respuesta rápida modificada',
  'quick_reply.deleted': 'Respuesta rápida eliminada',
  'settings.changed': 'Cambio de configuración',
};

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditActionValue[];

/** `before`/`after` as one short line: `campo: valor, ...`. */
export function describeValues(values: Record<string, unknown> | null | undefined): string {
  if (!values) return '—';
  const entries = Object.entries(values);
  if (entries.length === 0) return '—';
  return entries
    .map(([key, value]) => `${key}: ${value === null || value === undefined ? 'ninguno' : typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
