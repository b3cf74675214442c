import type { ReadMarker } from './conversation.store';

/**
 * Up to which `seq` "the other side" has read: for the candidate, any member of the team; for staff,
 * the candidate (a colleague reading the conversation is not the person the message was meant for).
 */
export function seenUpToSeq(markers: readonly ReadMarker[], viewerId: string, candidateUserId: string | null): number {
  if (!candidateUserId) return 0;
  const viewerIsCandidate = viewerId === candidateUserId;
  let seen = 0;
  for (const marker of markers) {
    const fromOtherSide = viewerIsCandidate ? marker.user_id !== candidateUserId : marker.user_id === candidateUserId;
    if (fromOtherSide && marker.user_id !== viewerId) seen = Math.max(seen, marker.last_read_seq);
  }
  return seen;
}
