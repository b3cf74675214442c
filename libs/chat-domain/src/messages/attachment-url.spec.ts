import { isUnderAttachmentPrefix } from './attachment-url';

const under = (url: string, prefix: string) => isUnderAttachmentPrefix(new URL(url), prefix);

describe('isUnderAttachmentPrefix', () => {
  it('treats a prefix without a path as that exact origin (scheme, host and port)', () => {
    expect(under('https://files.example.com/a.png', 'https://files.example.com')).toBe(true);
    expect(under('https://files.example.com/a/b.png', 'https://files.example.com/')).toBe(true);
    expect(under('https://files.example.com.evil.example/a.png', 'https://files.example.com')).toBe(false);
    expect(under('https://files.example.com:8443/a.png', 'https://files.example.com')).toBe(false);
    expect(under('http://files.example.com/a.png', 'https://files.example.com')).toBe(false);
  });

  it('compares decoded path segments, not characters', () => {
    const prefix = 'https://storage.example.com/chat/';
    expect(under('https://storage.example.com/chat/x.png', prefix)).toBe(true);
    expect(under('https://storage.example.com/chat/x.png', 'https://storage.example.com/chat')).toBe(true);
    expect(under('https://storage.example.com/chatroom/x.png', 'https://storage.example.com/chat')).toBe(false);
    expect(under('https://storage.example.com/chat/../other/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/%2e%2e/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/..%2Fother/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/%5c..%5cother/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/%E0%A4%A/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/%63hat/x.png', prefix)).toBe(true);
  });

  it('refuses what a server decoding twice, or dropping `;parameters`, would read as another path', () => {
    const prefix = 'https://storage.example.com/chat/';
    expect(under('https://storage.example.com/chat/%252e%252e/other/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/..%252Fother/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/%255c..%255cother/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/..;/other/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/%2e%2e;x/other/x.png', prefix)).toBe(false);
    expect(under('https://storage.example.com/chat/.;x/x.png', prefix)).toBe(false);
    // Ordinary names with `;` or an encoded `%` stay allowed.
    expect(under('https://storage.example.com/chat/a;b.png', prefix)).toBe(true);
    expect(under('https://storage.example.com/chat/50%25%20off.png', prefix)).toBe(true);
  });
});
