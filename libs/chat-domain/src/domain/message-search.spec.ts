import {
  booleanModeExpression,
  containsExpression,
  fts5MatchExpression,
  fts5ScopeToken,
  likeFallbackPattern,
  searchableMessageTypes,
  searchTerms,
  snippetSegments,
  tsqueryExpression,
} from './message-search';

describe('message search terms', () => {
  it('keeps only words, folded (case and accents), deduplicated, at most eight', () => {
    expect(searchTerms('  Canceló  el EXAMEN, ¿canceló? ')).toEqual(['cancelo', 'el', 'examen']);
    expect(searchTerms('"a" OR b* -c NEAR(d) col:x')).toEqual(['or', 'near', 'col']);
    expect(searchTerms('*** -- "" ()')).toEqual([]);
    expect(searchTerms('uno dos tres cuatro cinco seis siete ocho nueve')).toHaveLength(8);
  });

  it("writes each engine's syntax from plain words only", () => {
    const terms = ['examen', 'cancelo'];
    expect(fts5MatchExpression(terms)).toBe('content: "examen"* AND content: "cancelo"*');
    expect(fts5MatchExpression(terms, 'ab-Ñ')).toBe('content: "examen"* AND content: "cancelo"* AND scope: "u61622dc391"');
    expect(tsqueryExpression(terms)).toBe("'examen':* & 'cancelo':*");
    expect(booleanModeExpression(terms)).toBe('+examen* +cancelo*');
    expect(containsExpression(terms)).toBe('"examen*" AND "cancelo*"');
    expect(likeFallbackPattern(terms)).toBe('%examen%cancelo%');
  });

  it("scopes a candidate's FTS5 search with one token of hex digits, whatever their id holds", () => {
    expect(fts5ScopeToken('c0000b9f-0000-4000-8000-000000000000')).toBe(`u${Buffer.from('c0000b9f-0000-4000-8000-000000000000').toString('hex')}`);
    expect(fts5ScopeToken('x" OR content: *')).toMatch(/^u[0-9a-f]+$/);
  });

  it('never lets a candidate find staff-only entries, nor anyone the system lines', () => {
    expect(searchableMessageTypes('candidate')).toEqual(['text', 'attachment']);
    expect(searchableMessageTypes('staff')).toEqual(['text', 'attachment', 'note']);
  });
});

describe('snippets', () => {
  it('marks the words that start with a term, whatever their accents', () => {
    expect(snippetSegments('El exámen se canceló ayer', ['examen', 'cancelo'])).toEqual([
      { text: 'El ', match: false },
      { text: 'exámen', match: true },
      { text: ' se ', match: false },
      { text: 'canceló', match: true },
      { text: ' ayer', match: false },
    ]);
  });

  it('cuts a long message around the first match, at spaces, with ellipses', () => {
    const long = `${'palabra '.repeat(40)}contraseña olvidada ${'relleno '.repeat(40)}`;
    const segments = snippetSegments(long, ['contrasena']);
    expect(segments[0]).toEqual({ text: '…', match: false });
    expect(segments.at(-1)).toEqual({ text: '…', match: false });
    expect(segments.find((segment) => segment.match)?.text).toBe('contraseña');
    expect(segments.map((segment) => segment.text).join('').length).toBeLessThanOrEqual(170);
  });

  it('starts at the beginning when nothing matches (a stemmed match) and keeps the text intact', () => {
    expect(snippetSegments('<b>hola</b>', ['zzz'])).toEqual([{ text: '<b>hola</b>', match: false }]);
  });
});
