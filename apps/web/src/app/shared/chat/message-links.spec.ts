import { safeLinkHref, textParts } from './message-links';

describe('textParts', () => {
  it('turns https addresses into links and leaves the rest as text, keeping every character', () => {
    const text = 'Revisa https://ayuda.example.com/examen?id=7#paso-2, y luego (https://example.com/a_(b)) gracias.';
    const parts = textParts(text);
    expect(parts).toEqual([
      { text: 'Revisa ', href: null },
      { text: 'https://ayuda.example.com/examen?id=7#paso-2', href: 'https://ayuda.example.com/examen?id=7#paso-2' },
      { text: ', y luego (', href: null },
      { text: 'https://example.com/a_(b)', href: 'https://example.com/a_(b)' },
      { text: ') gracias.', href: null },
    ]);
    expect(parts.map((part) => part.text).join('')).toBe(text);
  });

  it.each([
    'javascript:alert(document.cookie)',
    'JaVaScRiPt:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'http://inseguro.example.com/pagina',
    'ftp://files.example.com/x',
    'mailto:alguien@example.com',
    '//example.com/relativo',
    'example.com sin esquema',
    'https://usuario:clave@example.com/',
  ])('never links %s', (text) => {
    const parts = textParts(`mira ${text} aquí`);
    expect(parts.every((part) => part.href === null)).toBe(true);
    expect(parts.map((part) => part.text).join('')).toBe(`mira ${text} aquí`);
  });

  it('a text without addresses is one part', () => {
    expect(textParts('Hola, ¿cómo estás?')).toEqual([{ text: 'Hola, ¿cómo estás?', href: null }]);
  });
});

describe('safeLinkHref', () => {
  it('accepts https only', () => {
    expect(safeLinkHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeLinkHref('javascript:alert(1)')).toBeNull();
    expect(safeLinkHref('no es url')).toBeNull();
  });
});
