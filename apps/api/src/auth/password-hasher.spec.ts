import { PasswordHasher } from './password-hasher';

const FAST = { N: 1024, r: 8, p: 1 };

describe('PasswordHasher', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await PasswordHasher.hash('Demo1234!', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(PasswordHasher.verify('Demo1234!', hash)).resolves.toBe(true);
    await expect(PasswordHasher.verify('demo1234!', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await PasswordHasher.hash('same', FAST)).not.toBe(await PasswordHasher.hash('same', FAST));
  });

  it('treats malformed stored hashes as non-matching instead of throwing', async () => {
    for (const stored of ['', 'plain', 'scrypt$x$8$1$abc$def', 'bcrypt$1$2$3$4$5', 'scrypt$1024$8$1$c2FsdA$c2hvcnQ']) {
      await expect(PasswordHasher.verify('Demo1234!', stored)).resolves.toBe(false);
    }
  });
});
