import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCdpJwt, loadCdpCredentials } from './jwt.js';

describe('CDP JWT', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const keyName = 'organizations/org-1/apiKeys/key-1';

  it('signs an ES256 token that verifies with the public key', () => {
    const creds = loadCdpCredentials(keyName, pem.replace(/\n/g, '\\n'));
    const jwt = buildCdpJwt(creds, 1_700_000_000, 'GET api.coinbase.com/api/v3/brokerage/products');
    const [h, p, s] = jwt.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', kid: keyName, typ: 'JWT' });
    expect(header.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(payload).toEqual({ iss: 'cdp', sub: keyName, nbf: 1_700_000_000, exp: 1_700_000_120, uri: 'GET api.coinbase.com/api/v3/brokerage/products' });
    const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey(privateKey), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    expect(ok).toBe(true);
    const tampered = verify('sha256', Buffer.from(`${h}.${p}x`), { key: createPublicKey(privateKey), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    expect(tampered).toBe(false);
  });

  it('refuses missing or unusable keys without echoing them', () => {
    expect(() => loadCdpCredentials(undefined, pem)).toThrow(/must both be set/);
    const bad = '-----BEGIN EC PRIVATE KEY-----\nnot-a-key\n-----END EC PRIVATE KEY-----';
    expect(() => loadCdpCredentials(keyName, bad)).toThrow(/not a usable EC private key/);
    try {
      loadCdpCredentials(keyName, bad);
    } catch (err) {
      expect((err as Error).message).not.toContain('not-a-key');
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadCdpCredentials(keyName, rsa)).toThrow(/not ec/);
  });
});
