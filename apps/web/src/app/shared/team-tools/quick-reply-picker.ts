import type { QuickReplyDto } from '@app/api/models';

/** The most replies the `/` picker lists at once. */
export const QUICK_REPLY_PICKER_LIMIT = 8;

/**
 * The `/` token being typed right before the caret (at the start of the text or after a space), or
 * null: `"Hola /salu"` with the caret at the end gives `{ start: 5, query: 'salu' }`.
 */
export function quickReplyToken(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)\/([^\s/]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1].length - 1, query: match[1] };
}

/**
 * Replies for the picker's query: shortcut matches first (those starting with it before the others),
 * then title and text matches, in the server's order; case and accents ignored.
 */
export function filterQuickReplies(replies: readonly QuickReplyDto[], query: string): QuickReplyDto[] {
  const wanted = fold(query);
  if (!wanted) return replies.slice(0, QUICK_REPLY_PICKER_LIMIT);
  const rank = (reply: QuickReplyDto): number => {
    const shortcut = fold(reply.shortcut ?? '');
    if (shortcut.startsWith(wanted)) return 0;
    if (fold(reply.title).startsWith(wanted)) return 1;
    if (shortcut.includes(wanted) || fold(reply.title).includes(wanted)) return 2;
    if (fold(reply.body).includes(wanted)) return 3;
    return -1;
  };
  return replies
    .map((reply, index) => ({ reply, index, rank: rank(reply) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, QUICK_REPLY_PICKER_LIMIT)
    .map((entry) => entry.reply);
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
