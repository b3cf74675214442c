/**
 * The sender of timeline entries written by the chat itself rather than by a person (the automatic
 * reply outside business hours). Not a UUID, so it can never be a host user's id (the nil UUID already
 * stands for unknown users of adopted legacy rows).
 */
export const SYSTEM_SENDER_ID = 'support-chat:system';

/** How the chat's own entries are signed in the timeline. */
export const SYSTEM_SENDER = { id: SYSTEM_SENDER_ID, full_name: 'Respuesta automática', role: 'sistema', is_active: true } as const;
