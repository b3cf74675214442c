import type { QuickReplyVariable, SameMembers } from '@support-chat/chat-contract';

/** The variables a quick reply may use; the server checks the same list (`@support-chat/chat-contract`). */
export const QUICK_REPLY_VARIABLES = ['candidato.nombre', 'candidato.usuario', 'agente.nombre', 'conversacion.asunto'] as const;

/** The list is the shared contract's: drift does not compile. */
const _variablesMatchContract: SameMembers<(typeof QUICK_REPLY_VARIABLES)[number], QuickReplyVariable> = true;
