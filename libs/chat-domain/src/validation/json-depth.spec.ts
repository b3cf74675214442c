import { ChatErrorCode } from '../errors/chat-error';
import { jsonDepthExceeds, jsonDepthVerifier } from './json-depth';

describe('jsonDepthExceeds', () => {
  it('counts nested arrays and objects, not scalars', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('"x"', 0)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[' }), 1)).toBe(false);
    expect(jsonDepthExceeds(`{"a":"\\\\",  "b":[[1]]}`, 2)).toBe(true);
  });

  it('is not fooled by closing brackets that come before their opening ones', () => {
    expect(jsonDepthExceeds(`${']'.repeat(100)}${'['.repeat(10)}`, 5)).toBe(true);
  });
});

describe('jsonDepthVerifier', () => {
  const verify = jsonDepthVerifier(5);
  const codeOf = (body: Buffer, charset: string | null): string | null => {
    try {
      verify(undefined as never, undefined as never, body, charset);
      return null;
    } catch (error) {
      return (error as { code: string }).code;
    }
  };
  const deep = `{"a":${'['.repeat(10)}${']'.repeat(10)}}`;

  it('scans the text the parser will see, whatever the declared charset', () => {
    expect(codeOf(Buffer.from(deep), 'utf-8')).toBe(ChatErrorCode.JsonTooDeep);
    expect(codeOf(Buffer.from(deep, 'utf16le'), 'utf-16le')).toBe(ChatErrorCode.JsonTooDeep);
    // Big-endian UTF-16 without a BOM under `charset=utf-16`: body-parser (iconv-lite) reads it as big-endian.
    expect(codeOf(Buffer.from(deep, 'utf16le').swap16(), 'utf-16')).toBe(ChatErrorCode.JsonTooDeep);
    expect(codeOf(Buffer.from(deep, 'utf16le').swap16(), 'utf-16be')).toBe(ChatErrorCode.JsonTooDeep);
    expect(codeOf(Buffer.from(`{"a":[[1]]}`, 'utf16le').swap16(), 'utf-16')).toBeNull();
  });

  it('refuses a charset nobody can decode', () => {
    expect(codeOf(Buffer.from('{}'), 'x-desconocido')).toBe(ChatErrorCode.InvalidJson);
  });
});
