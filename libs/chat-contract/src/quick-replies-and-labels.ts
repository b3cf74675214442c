/**
 * Quick replies ("respuestas rápidas") and conversation labels ("etiquetas"): the wire types the
 * server and the web app share. Types only: each side keeps its own list of the variables, tied to
 * `QuickReplyVariable` by the compiler (`SameMembers`), so the whitelist cannot drift.
 */

/** The variables a quick reply may use, written `{{candidato.nombre}}` in its body. Anything else is refused when saved. */
export type QuickReplyVariable = 'candidato.nombre' | 'candidato.usuario' | 'agente.nombre' | 'conversacion.asunto';

/** `personal`: the author's own; `team`: shared by the whole staff, managed by the admin roles. */
export type QuickReplyScope = 'personal' | 'team';
