/**
 * Length as people count it: Unicode code points, so an emoji is one character, not two UTF-16 units.
 * The configurable limits use this; the schema's hard limits (DTO `MaxLength`) stay in UTF-16 units,
 * which is what SQL Server's NVARCHAR(n) measures.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _codePoint of text) count++;
  return count;
}
