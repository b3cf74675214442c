/** Which staff members have a live realtime connection (the staff picker's "en línea"). */
export interface StaffPresence {
  onlineUserIds(userIds: readonly string[]): Promise<ReadonlySet<string>>;
}

/** Bound by the realtime layer; absent without it (then everybody shows as offline). */
export const STAFF_PRESENCE = Symbol('STAFF_PRESENCE');
