import { MESSAGE_TYPES, MessageType, STAFF_ONLY_MESSAGE_TYPES } from './message-type';

/**
 * Full-text search over message bodies, the database-independent part: the user's text becomes a list
 * of plain words (letters and digits only), from which each dialect's query syntax is written, so that
 * no input (quotes, operators, `*`, `-`, parentheses, column filters) can reach an engine as syntax.
 * Every word must match the start of a word of the message (prefix match), accents and case ignored.
 */

/** Words per query: more are ignored. */
export const MAX_SEARCH_TERMS = 8;
/** Characters per word: longer words are cut (no engine indexes longer tokens usefully). */
export const MAX_SEARCH_TERM_LENGTH = 40;
/** Shorter words are dropped: a one-letter prefix matches nearly every message. */
export const MIN_SEARCH_TERM_LENGTH = 2;

/** The entries a search may return: messages (never the `system` lines), and for candidates no staff-only ones. */
export function searchableMessageTypes(audience: 'candidate' | 'staff'): MessageType[] {
  return MESSAGE_TYPES.filter((type) => type !== 'system' && (audience === 'staff' || !STAFF_ONLY_MESSAGE_TYPES.includes(type)));
}

/** Lower case without diacritics (`Canceló` -> `cancelo`), one code point at a time. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a query, folded, deduplicated, in order: empty when nothing searchable is left. */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const match of foldForSearch(query.normalize('NFC')).matchAll(/[\p{L}\p{N}]+/gu)) {
    const term = [...match[0]].slice(0, MAX_SEARCH_TERM_LENGTH).join('');
    if ([...term].length < MIN_SEARCH_TERM_LENGTH || terms.includes(term)) continue;
    terms.push(term);
    if (terms.length === MAX_SEARCH_TERMS) break;
  }
  return terms;
}

/**
 * SQLite FTS5: every word as a quoted prefix of the `content` column (`content: "examen"* AND content: "cancelo"*`);
 * for a candidate also their scope token in the `scope` column, so that FTS5 intersects the word's
 * matches with that candidate's visible messages instead of walking every match of the word.
 */
export function fts5MatchExpression(terms: readonly string[], candidateUserId?: string): string {
  const words = terms.map((term) => `content: "${term}"*`);
  if (candidateUserId !== undefined) words.push(`scope: "${fts5ScopeToken(candidateUserId)}"`);
  return words.join(' AND ');
}

/**
 * The token the FTS5 `scope` column holds for messages a candidate sees (`u` + the UTF-8 hex of their
 * user id, lower case: one token, whatever characters the id has). It must equal the trigger's
 * `'u' || lower(hex(candidate_user_id))` (see `persistence/schema/message-search-index.ts`).
 */
export function fts5ScopeToken(candidateUserId: string): string {
  let hex = '';
  for (const byte of new TextEncoder().encode(candidateUserId)) hex += byte.toString(16).padStart(2, '0');
  return `u${hex}`;
}

/** PostgreSQL `to_tsquery`: quoted prefix lexemes joined by AND (`'examen':* & 'cancelo':*`). */
export function tsqueryExpression(terms: readonly string[]): string {
  return terms.map((term) => `'${term}':*`).join(' & ');
}

/** MariaDB/MySQL `MATCH ... AGAINST (... IN BOOLEAN MODE)`: every word required, as a prefix (`+examen* +cancelo*`). */
export function booleanModeExpression(terms: readonly string[]): string {
  return terms.map((term) => `+${term}*`).join(' ');
}

/** SQL Server `CONTAINS`: quoted prefix terms joined by AND (`"examen*" AND "cancelo*"`). */
export function containsExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term}*"`).join(' AND ');
}

/** The LIKE fallback (SQL Server without full-text search): the words in order (`%examen%cancelo%`). */
export function likeFallbackPattern(terms: readonly string[]): string {
  return `%${terms.join('%')}%`;
}

/** A piece of a snippet: text to show as is, marked when it matched the query. */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

/** Characters of context in a snippet (before the first match, and in all). */
const SNIPPET_BEFORE = 40;
const SNIPPET_LENGTH = 160;

/**
 * The part of a message around its first match, as segments (never markup: clients render them as
 * text). A word matches when, folded, it starts with a query word, or is the stem of one (PostgreSQL's
 * Spanish stemming finds `examen` for `exámenes`).
 */
export function snippetSegments(content: string, terms: readonly string[]): SnippetSegment[] {
  const ranges: [number, number][] = [];
  for (const word of content.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const folded = foldForSearch(word[0]);
    if (terms.some((term) => folded.startsWith(term) || (folded.length >= 4 && term.startsWith(folded)))) {
      ranges.push([word.index, word.index + word[0].length]);
    }
  }
  const firstMatch = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, firstMatch - SNIPPET_BEFORE);
  let end = Math.min(content.length, start + SNIPPET_LENGTH);
  // Cut at spaces, never inside a word or a surrogate pair.
  if (start > 0) {
    const space = content.indexOf(' ', start);
    start = space >= 0 && space < firstMatch ? space + 1 : firstMatch;
  }
  if (end < content.length) {
    const space = content.lastIndexOf(' ', end);
    if (space > start) end = space;
    else if (/[\uD800-\uDBFF]/.test(content[end - 1] ?? '')) end -= 1;
  }
  const segments: SnippetSegment[] = [];
  const push = (text: string, match: boolean) => {
    if (text) segments.push({ text, match });
  };
  let cursor = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    push(content.slice(cursor, Math.max(cursor, from)), false);
    push(content.slice(Math.max(cursor, from), Math.min(to, end)), true);
    cursor = Math.min(to, end);
  }
  push(content.slice(cursor, end), false);
  if (start > 0) segments.unshift({ text: '…', match: false });
  if (end < content.length) segments.push({ text: '…', match: false });
  return segments;
}
