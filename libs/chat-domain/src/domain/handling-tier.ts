/** Who handles a conversation: the first tier (agents) or, once escalated, a coordinator. */
export const HANDLING_TIERS = ['agent', 'coordinator'] as const;
export type HandlingTier = (typeof HANDLING_TIERS)[number];
