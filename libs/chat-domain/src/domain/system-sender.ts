/**
 * The sender of timeline entries written by the chat itself rather than by a person (the automatic
 * reply outside business hours). Never a real user id: user ids are the host's, and this nil UUID is
 * reserved for the chat.
 */
export const SYSTEM_SENDER_ID = '00000000-0000-0000-0000-000000000000';

/** How the chat's own entries are signed in the timeline. */
export const SYSTEM_SENDER = { id: SYSTEM_SENDER_ID, full_name: 'Respuesta automática', role: 'sistema', is_active: true } as const;
