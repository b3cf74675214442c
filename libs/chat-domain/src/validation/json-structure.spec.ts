import { ChatErrorCode } from '../errors/chat-error';
import { JSON_STRUCTURE_LIMITS, jsonStructureBodyParser, jsonStructureProblem, jsonStructureVerifier } from './json-structure';

const limits = (maxDepth: number, maxValuesPerContainer = 100, maxValues = 1000) => ({ maxDepth, maxValuesPerContainer, maxValues });

describe('jsonStructureProblem', () => {
  it('counts nested arrays and objects, not scalars', () => {
    expect(jsonStructureProblem('{"a":[{"b":1}]}', limits(3))).toBeNull();
    expect(jsonStructureProblem('{"a":[{"b":[1]}]}', limits(3))).toBe('depth');
    expect(jsonStructureProblem('"x"', limits(0))).toBeNull();
  });

  it('ignores brackets and commas inside strings, escaped quotes included', () => {
    expect(jsonStructureProblem(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[', c: ',,,,,,' }), limits(1, 3))).toBeNull();
    expect(jsonStructureProblem(`{"a":"\\\\",  "b":[[1]]}`, limits(2))).toBe('depth');
  });

  it('is not fooled by closing brackets that come before their opening ones', () => {
    expect(jsonStructureProblem(`${']'.repeat(100)}${'['.repeat(10)}`, limits(5))).toBe('depth');
  });

  it('limits the values of one array or object, and of the whole body', () => {
    const list = (n: number) => `[${Array(n).fill('1').join(',')}]`;
    const object = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`;
    expect(jsonStructureProblem(list(3), limits(5, 3))).toBeNull();
    expect(jsonStructureProblem(list(4), limits(5, 3))).toBe('values');
    expect(jsonStructureProblem(`{"a":${object(3)},"b":${object(3)}}`, limits(5, 3))).toBeNull();
    expect(jsonStructureProblem(`{"a":${object(4)}}`, limits(5, 3))).toBe('values');
    // Each container within its own limit, but too many in total (3 containers + 6 values separated by commas).
    expect(jsonStructureProblem(`[${list(3)},${list(3)}]`, limits(5, 3, 9))).toBeNull();
    expect(jsonStructureProblem(`[${list(3)},${list(3)},${list(1)}]`, limits(5, 3, 9))).toBe('values');
  });

  it('lets the largest body the chat accepts through: a realtime ticket with 1000 conversations in `since`', () => {
    const since = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, i]));
    expect(jsonStructureProblem(JSON.stringify({ since }), JSON_STRUCTURE_LIMITS)).toBeNull();
  });
});

describe('jsonStructureVerifier', () => {
  const verify = jsonStructureVerifier(limits(5, 10, 100));
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

  it('answers json_too_many_values for too many values', () => {
    expect(codeOf(Buffer.from(`{"a":[${Array(11).fill('1').join(',')}]}`), 'utf-8')).toBe(ChatErrorCode.JsonTooManyValues);
  });

  it('refuses a charset nobody can decode', () => {
    expect(codeOf(Buffer.from('{}'), 'x-desconocido')).toBe(ChatErrorCode.InvalidJson);
  });
});

describe('jsonStructureBodyParser (Fastify hosts)', () => {
  const parser = jsonStructureBodyParser(limits(5, 10, 100));
  const parse = (body: Buffer, contentType = 'application/json'): { code: string | null; parsed?: unknown } => {
    let outcome: { code: string | null; parsed?: unknown } | undefined;
    parser({ headers: { 'content-type': contentType } }, body, (error, parsed) => {
      outcome = error ? { code: (error as { code?: string }).code ?? error.message } : { code: null, parsed };
    });
    if (!outcome) throw new Error('the parser did not call done');
    return outcome;
  };

  it('parses JSON within the limits, in the declared charset; an empty body is {}', () => {
    expect(parse(Buffer.from('{"content":"Hola 👋","tags":[1,2]}'))).toEqual({ code: null, parsed: { content: 'Hola 👋', tags: [1, 2] } });
    expect(parse(Buffer.from('{"content":"año"}', 'utf16le'), 'application/json; charset="UTF-16LE"')).toEqual({ code: null, parsed: { content: 'año' } });
    expect(parse(Buffer.alloc(0))).toEqual({ code: null, parsed: {} });
  });

  it('refuses a structure over the limits before parsing, and anything that is not JSON', () => {
    expect(parse(Buffer.from(`{"a":${'['.repeat(10)}${']'.repeat(10)}}`)).code).toBe(ChatErrorCode.JsonTooDeep);
    expect(parse(Buffer.from(`[${Array(11).fill('1').join(',')}]`)).code).toBe(ChatErrorCode.JsonTooManyValues);
    expect(parse(Buffer.from('{"content": "Hola",')).code).toBe(ChatErrorCode.InvalidJson);
    expect(parse(Buffer.from('{}'), 'application/json; charset=x-desconocido').code).toBe(ChatErrorCode.InvalidJson);
  });
});
