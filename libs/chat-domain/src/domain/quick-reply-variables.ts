import type { QuickReplyVariable, SameMembers } from '@support-chat/chat-contract';

/** The variables a quick reply may use (`{{candidato.nombre}}`), with what each is filled with. */
export const QUICK_REPLY_VARIABLES = ['candidato.nombre', 'candidato.usuario', 'agente.nombre', 'conversacion.asunto'] as const;

/** The list is the shared contract's (`@support-chat/chat-contract`): drift does not compile. */
const _variablesMatchContract: SameMembers<(typeof QUICK_REPLY_VARIABLES)[number], QuickReplyVariable> = true;

/** `{{ name }}`: the braces and the name, spaces allowed around it. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

const KNOWN = new Set<string>(QUICK_REPLY_VARIABLES);

/** The names used in `body` that are not variables, each once, in order of appearance. */
export function unknownQuickReplyVariables(body: string): string[] {
  const unknown = new Set<string>();
  for (const match of body.matchAll(PLACEHOLDER)) if (!KNOWN.has(match[1])) unknown.add(match[1]);
  return [...unknown];
}

/** `body` with every variable replaced by its value (an empty string when there is none). */
export function renderQuickReply(body: string, values: Readonly<Record<QuickReplyVariable, string | null | undefined>>): string {
  return body.replace(PLACEHOLDER, (placeholder, name: string) => (KNOWN.has(name) ? (values[name as QuickReplyVariable] ?? '') : placeholder));
}
