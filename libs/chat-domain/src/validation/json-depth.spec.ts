import { jsonDepthExceeds } from './json-depth';

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
