import type { MessageDto } from '@app/api/models';
import { CONVERSATION_A, message } from '@testing/chat-fixtures';
import { CANDIDATE, SUPPORT_AGENT } from '@testing/session-fixtures';
import { dayLabel, firstUnreadSeq, timelineRows } from './timeline-rows';

// The viewer's zone in these tests (UTC-6, no daylight saving time).
const ZONE = 'America/Mexico_City';
const NOW = new Date('2026-11-30T18:00:00Z'); // Monday 30 November, 12:00 in Mexico City

const at = (seq: number, iso: string, changes: Partial<MessageDto> = {}) => message(CONVERSATION_A, seq, { created_at: iso, ...changes });

describe('dayLabel', () => {
  it('uses the viewer’s own zone by default', () => {
    expect(dayLabel(NOW, NOW)).toBe('Hoy');
  });

  it('says "Hoy", "Ayer", or the weekday and date in Spanish, in the viewer’s time zone', () => {
    expect(dayLabel(new Date('2026-11-30T07:00:00Z'), NOW, ZONE)).toBe('Hoy'); // 01:00 local
    // 23:30 on Sunday in Mexico City, although already Monday in UTC.
    expect(dayLabel(new Date('2026-11-30T05:30:00Z'), NOW, ZONE)).toBe('Ayer');
    expect(dayLabel(new Date('2026-11-23T18:00:00Z'), NOW, ZONE)).toBe('lunes 23 de noviembre');
    expect(dayLabel(new Date('2025-11-23T18:00:00Z'), NOW, ZONE)).toBe('domingo 23 de noviembre de 2025');
  });
});

describe('timelineRows', () => {
  it('puts a separator before the first message of each day', () => {
    const rows = timelineRows(
      [at(1, '2026-11-23T18:00:00Z'), at(2, '2026-11-23T19:00:00Z'), at(3, '2026-11-30T05:30:00Z'), at(4, '2026-11-30T16:00:00Z')],
      NOW,
      null,
      ZONE,
    );
    expect(rows.map((row) => row.day)).toEqual(['lunes 23 de noviembre', null, 'Ayer', 'Hoy']);
  });

  it('groups consecutive messages of one sender within 5 minutes, and nothing across senders, days, events or "Mensajes nuevos"', () => {
    const candidate = { sender_user_id: CANDIDATE.id };
    const rows = timelineRows(
      [
        at(1, '2026-11-30T16:00:00Z', candidate),
        at(2, '2026-11-30T16:04:00Z', candidate), // 4 min: grouped
        at(3, '2026-11-30T16:10:00Z', candidate), // 6 min after the previous: new group
        at(4, '2026-11-30T16:11:00Z', { sender_user_id: SUPPORT_AGENT.id }), // another sender
        at(5, '2026-11-30T16:11:30Z', { message_type: 'system', sender_user_id: SUPPORT_AGENT.id }),
        at(6, '2026-11-30T16:12:00Z', { sender_user_id: SUPPORT_AGENT.id }), // after an event
        at(7, '2026-11-30T16:12:30Z', { sender_user_id: SUPPORT_AGENT.id }), // grouped
        at(8, '2026-11-30T16:13:00Z', { sender_user_id: SUPPORT_AGENT.id }), // first unread: starts anew
      ],
      NOW,
      8,
      ZONE,
    );
    expect(rows.map((row) => row.grouped)).toEqual([false, true, false, false, false, false, true, false]);
    expect(rows.map((row) => row.firstUnread)).toEqual([false, false, false, false, false, false, false, true]);
  });
});

describe('firstUnreadSeq', () => {
  // Odd seq: the candidate; even seq: the agent.
  const messages = [1, 2, 3, 4, 5, 6].map((seq) => message(CONVERSATION_A, seq));

  it('for the candidate: the oldest of the last `count` messages from the team, up to the seq on opening', () => {
    expect(firstUnreadSeq(messages, { count: 2, seq: 6 }, CANDIDATE.id, CANDIDATE.id, false)).toBe(4);
    // Messages that arrived later (seq 5, 6) never move it.
    expect(firstUnreadSeq(messages, { count: 1, seq: 4 }, CANDIDATE.id, CANDIDATE.id, false)).toBe(4);
  });

  it('for staff: counts what the candidate wrote, never the team’s messages or system entries', () => {
    const withEvent = [...messages, message(CONVERSATION_A, 7, { message_type: 'system', sender_user_id: CANDIDATE.id })];
    expect(firstUnreadSeq(withEvent, { count: 2, seq: 7 }, SUPPORT_AGENT.id, CANDIDATE.id, false)).toBe(3);
  });

  it('is "older" when it lies above the loaded page, and null when nothing was unread', () => {
    expect(firstUnreadSeq(messages, { count: 5, seq: 6 }, CANDIDATE.id, CANDIDATE.id, true)).toBe('older');
    expect(firstUnreadSeq(messages, { count: 0, seq: 6 }, CANDIDATE.id, CANDIDATE.id, false)).toBeNull();
    expect(firstUnreadSeq(messages, null, CANDIDATE.id, CANDIDATE.id, false)).toBeNull();
  });
});
