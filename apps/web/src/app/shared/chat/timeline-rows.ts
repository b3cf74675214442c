import type { MessageDto } from '@app/api/models';

/** Consecutive messages of one sender within this time share one name and time. */
export const GROUP_WINDOW_MS = 5 * 60_000;

/** What the conversation looked like to the caller when it was opened: where "Mensajes nuevos" goes. */
export interface OpenedUnread {
  /** The caller's unread messages in the conversation at that moment. */
  readonly count: number;
  /** The conversation's last `seq` at that moment (later arrivals never move the separator). */
  readonly seq: number;
}

export interface TimelineRow {
  readonly message: MessageDto;
  /** "Hoy", "Ayer", "lunes 23 de noviembre": set on the first message of each day. */
  readonly day: string | null;
  /** The first message that was unread when the conversation was opened. */
  readonly firstUnread: boolean;
  /** Same sender as the message just above, within `GROUP_WINDOW_MS`: name and time are not repeated. */
  readonly grouped: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}|${timeZone ?? ''}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, format);
  }
  return format;
}

/** "2026-11-30": the calendar day of `date` in `timeZone` (the viewer's own when undefined). */
function dayKey(date: Date, timeZone: string | undefined): string {
  return formatter('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }, timeZone).format(date);
}

/** The calendar day before `key` ("2026-03-01" -> "2026-02-28"). */
function previousDayKey(key: string): string {
  const [year, month, day] = key.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10);
}

/**
 * "Hoy", "Ayer", "lunes 23 de noviembre" (and the year when it is not this year), in `timeZone`
 * (the viewer's own when undefined).
 */
export function dayLabel(date: Date, now: Date, timeZone?: string): string {
  const key = dayKey(date, timeZone);
  const today = dayKey(now, timeZone);
  if (key === today) return 'Hoy';
  if (key === previousDayKey(today)) return 'Ayer';
  const options: Intl.DateTimeFormatOptions =
    key.slice(0, 4) === today.slice(0, 4)
      ? { weekday: 'long', day: 'numeric', month: 'long' }
      : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
  // es-MX writes "lunes, 23 de noviembre": the separator reads better without the comma.
  return formatter('es-MX', options, timeZone).format(date).replace(',', '');
}

/**
 * Which messages count as unread for the viewer, as the API counts them: for a candidate, what the
 * team wrote; for staff, what the candidate wrote. Never one's own, never `system` entries or internal notes.
 */
function countsAsUnread(message: MessageDto, viewerId: string, candidateUserId: string | null): boolean {
  if (message.message_type === 'system' || message.message_type === 'note' || message.sender_user_id === viewerId) return false;
  return viewerId === candidateUserId || message.sender_user_id === candidateUserId;
}

/**
 * The `seq` of the first message that was unread when the conversation was opened: the unread ones
 * are always the newest `count` messages from the other side up to `opened.seq`. `'older'` when it
 * lies before the loaded page; `null` when nothing was unread.
 */
export function firstUnreadSeq(
  messages: readonly MessageDto[],
  opened: OpenedUnread | null,
  viewerId: string,
  candidateUserId: string | null,
  hasOlder: boolean,
): number | 'older' | null {
  if (!opened || opened.count <= 0) return null;
  let remaining = opened.count;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message.seq > opened.seq || !countsAsUnread(message, viewerId, candidateUserId)) continue;
    remaining--;
    if (remaining === 0) return message.seq;
  }
  return hasOlder ? 'older' : (messages.find((message) => message.seq <= opened.seq && countsAsUnread(message, viewerId, candidateUserId))?.seq ?? null);
}

/** The timeline as rows: day separators, the unread separator and grouping of consecutive messages. */
export function timelineRows(messages: readonly MessageDto[], now: Date, unreadSeq: number | 'older' | null, timeZone?: string): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let previous: MessageDto | null = null;
  let previousDay: string | null = null;
  for (const message of messages) {
    const created = new Date(message.created_at);
    const key = dayKey(created, timeZone);
    const day = key !== previousDay ? dayLabel(created, now, timeZone) : null;
    const firstUnread = message.seq === unreadSeq;
    const grouped =
      previous !== null &&
      day === null &&
      !firstUnread &&
      message.message_type !== 'system' &&
      previous.message_type !== 'system' &&
      previous.sender_user_id === message.sender_user_id &&
      created.getTime() - new Date(previous.created_at).getTime() <= GROUP_WINDOW_MS;
    rows.push({ message, day, firstUnread, grouped });
    previous = message;
    previousDay = key;
  }
  return rows;
}
