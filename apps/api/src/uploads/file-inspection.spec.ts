import { detectMimeType, isPlainText, sanitizeFileName } from './file-inspection';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('detectMimeType', () => {
  it('trusts the bytes, not the name', async () => {
    expect(await detectMimeType(PNG, 'foto.pdf')).toBe('image/png');
    expect(await detectMimeType(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), 'informe.png')).toBe('application/pdf');
  });

  it('treats UTF-8 text without magic numbers as text/plain, or text/csv by extension', async () => {
    expect(await detectMimeType(Buffer.from('hola, ¿qué tal?\n'), 'nota.txt')).toBe('text/plain');
    expect(await detectMimeType(Buffer.from('a,b\n1,2\n'), 'datos.csv')).toBe('text/csv');
    expect(await detectMimeType(Buffer.from('<script>alert(1)</script>'), 'x.html')).toBe('text/plain');
  });

  it('returns null for unknown binary content', async () => {
    expect(await detectMimeType(Buffer.from([0, 1, 2, 3, 250, 251, 0, 7]), 'x.bin')).toBeNull();
    expect(await detectMimeType(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), 'setup.exe')).not.toBe('text/plain');
  });
});

describe('isPlainText', () => {
  it('refuses invalid UTF-8 and control characters', () => {
    expect(isPlainText(Buffer.from([0xc3, 0x28]))).toBe(false);
    expect(isPlainText(Buffer.from('a\u0000b'))).toBe(false);
    expect(isPlainText(Buffer.from('línea 1\r\nlínea 2\t✓'))).toBe(true);
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['captura.png', 'image/png', 'captura.png'],
    ['../../etc/passwd', 'text/plain', 'passwd.txt'],
    ['C:\\Users\\ana\\Acta de nacimiento.pdf', 'application/pdf', 'Acta de nacimiento.pdf'],
    ['<img src=x onerror=alert(1)>.png', 'image/png', 'img src_x onerror_alert(1)_.png'],
    ['.htaccess', 'text/plain', 'htaccess.txt'],
    ['foto.jpeg', 'image/jpeg', 'foto.jpeg'],
    ['informe.html', 'text/plain', 'informe.html.txt'],
    ['', 'application/pdf', 'archivo.pdf'],
    ['señal «ñ» ü.png', 'image/png', 'señal _ñ_ ü.png'],
  ])('%j (%s) -> %j', (input, mime, expected) => {
    expect(sanitizeFileName(input, mime)).toBe(expected);
  });

  it('keeps the extension when shortening long names', () => {
    const name = sanitizeFileName(`${'a'.repeat(300)}.pdf`, 'application/pdf');
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});
