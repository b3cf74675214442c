/**
 * The one sender of timeline entries written by the chat itself rather than by a person: the automatic
 * reply outside business hours (issue 17) and the auto-resolve line. Not a UUID, so it can never be a
 * host user's id (the nil UUID already stands for unknown users of adopted legacy rows); 19 ASCII
 * characters, so it fits the `id` column of every dialect (varchar(36) ascii / nvarchar(36)).
 */
export const SYSTEM_SENDER_ID = 'support-chat:system';

/** How the chat's own entries are signed in the timeline, the transcript and e-mails. */
export const SYSTEM_SENDER = { id: SYSTEM_SENDER_ID, full_name: 'Sistema', role: 'sistema', is_active: true } as const;
