/**
 * The chat's configured maximum message length (`SUPPORT_CHAT_MAX_MESSAGE_LENGTH`, default 4000).
 * The API enforces it; the composer only counts against it so people see the limit before sending.
 */
export const CHAT_MAX_MESSAGE_LENGTH = 4000;

/** Characters as the API counts them: Unicode code points (an emoji is one). */
export function characterCount(text: string): number {
  let count = 0;
  for (const _codePoint of text) count++;
  return count;
}
