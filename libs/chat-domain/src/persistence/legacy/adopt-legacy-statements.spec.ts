import { firstRows, legacyMessagePageQuery, misplacedMessagesQuery, placeholder, renameStatements, timestampAsText } from './adopt-legacy-support-chat';

/**
 * The SQL Server branches cannot run here (no server): these pin the shape of what they send, so that
 * a change to them is seen. The other dialects run for real in test/dialects/legacy-adoption.spec.ts.
 */
describe('legacy adoption statements on SQL Server', () => {
  it('renames with sp_rename, the new name bare, one table per call', () => {
    expect(renameStatements('mssql', ['support_conversations', 'support_messages'])).toEqual([
      "EXEC sp_rename N'support_conversations', N'legacy_support_conversations', N'OBJECT'",
      "EXEC sp_rename N'support_messages', N'legacy_support_messages', N'OBJECT'",
    ]);
    expect(renameStatements('mssql', [])).toEqual([]);
  });

  it('limits with OFFSET ... FETCH (SQL Server has no LIMIT), after the ORDER BY', () => {
    expect(firstRows('mssql', 'SELECT id FROM t ORDER BY id', 500)).toBe('SELECT id FROM t ORDER BY id OFFSET 0 ROWS FETCH NEXT 500 ROWS ONLY');
    expect(firstRows('postgres', 'SELECT id FROM t ORDER BY id', 500)).toBe('SELECT id FROM t ORDER BY id LIMIT 500');
  });

  it('numbers parameters @0, @1, ... as the mssql driver expects', () => {
    expect([1, 2, 3].map((i) => placeholder('mssql', i))).toEqual(['@0', '@1', '@2']);
  });

  it('reads naive DATETIME/DATETIME2 as ISO 8601 text (style 126), so that no time zone is applied', () => {
    expect(timestampAsText('mssql', 'm.created_at')).toBe('CONVERT(VARCHAR(33), m.created_at, 126)');
  });

  it('pages messages by keyset on the original columns, without row-value comparisons', () => {
    const first = legacyMessagePageQuery('mssql', 1000, null);
    expect(first.parameters).toEqual([]);
    expect(first.sql).toBe(
      'SELECT m.id, m.conversation_id, m.sender_user_id, m.content, m.message_type, m.attachment_url, m.attachment_name, m.attachment_mime_type, ' +
        'm.attachment_size_bytes, CONVERT(VARCHAR(33), m.created_at, 126) AS created_at, CONVERT(VARCHAR(33), m.edited_at, 126) AS edited_at ' +
        'FROM legacy_support_messages m ORDER BY m.conversation_id, m.created_at, m.id OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY',
    );
    const next = legacyMessagePageQuery('mssql', 1000, { conversationId: 7, createdAt: '2025-03-01T14:05:09.997', id: 42 });
    expect(next.sql).toContain(
      'FROM legacy_support_messages m WHERE m.conversation_id > @0 OR (m.conversation_id = @1 AND (m.created_at > @2 OR (m.created_at = @3 AND m.id > @4))) ORDER BY',
    );
    expect(next.parameters).toEqual([7, 7, '2025-03-01T14:05:09.997', '2025-03-01T14:05:09.997', 42]);
  });

  it('verifies with a window function and OFFSET ... FETCH, the ORDER BY outside the derived table', () => {
    const sql = misplacedMessagesQuery('mssql', 20);
    expect(sql).toContain('ROW_NUMBER() OVER (PARTITION BY lm.conversation_id ORDER BY lm.created_at, lm.id) AS position');
    expect(sql).toMatch(/\) x WHERE .* ORDER BY x\.legacy_conversation_id, x\.position OFFSET 0 ROWS FETCH NEXT 20 ROWS ONLY$/);
    // SQL Server refuses an ORDER BY of a derived table without TOP/OFFSET: the only one is the last.
    expect(sql.match(/\) x WHERE/g)).toHaveLength(1);
    expect(sql.slice(sql.indexOf(') x WHERE'))).toMatch(/^\) x WHERE [^()]*(\([^()]*\))?[^()]* ORDER BY x\./);
  });
});
