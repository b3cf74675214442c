/**
 * One CSV line (RFC 4180, CRLF). Fields are quoted when they hold a comma, a quote or a line break, with
 * quotes doubled. A field that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
 * tab or a carriage return) gets a leading apostrophe first, so an exported note or name such as
 * `=HYPERLINK(...)` stays text (OWASP "CSV injection").
 */
export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
