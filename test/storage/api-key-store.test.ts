/** Contract of ApiKeyStore against every SQL backend (PGlite always, PostgreSQL when configured). */
import { scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnixMicros } from '../../src/core/index.js';
import { ApiScope } from '../../src/kernel/ports/api-key-store.js';
import type { ApiScope as Scope } from '../../src/kernel/ports/api-key-store.js';
import { SqlApiKeyStore } from '../../src/infra/store/sql-api-key-store.js';
import type { OpenedDb } from './backends.js';
import { sqlBackends } from './backends.js';

// A low cost keeps the suite fast; the parameters are stored with each hash, so a store with other ones still verifies it.
const FAST = { N: 1024, r: 8, p: 1 };

for (const backend of sqlBackends()) {
  describe(`ApiKeyStore contract: ${backend.name}`, () => {
    let opened: OpenedDb;
    let store: SqlApiKeyStore;
    beforeAll(async () => {
      opened = await backend.open();
      store = new SqlApiKeyStore(opened.driver, { scrypt: FAST });
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('returns the key once, stores only a salted scrypt hash of its secret, and verifies it', async () => {
      const a = await store.create({ name: 'bot-1', scopes: [ApiScope.Read, ApiScope.Trade], tsCreated: UnixMicros.of(100) });
      const b = await store.create({ name: 'ops', scopes: [ApiScope.Admin, ApiScope.Admin], tsCreated: UnixMicros.of(200) });
      expect(a.key).toMatch(/^tw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(a.key.startsWith(`tw_${a.info.keyId}_`)).toBe(true);
      expect(a.info).toEqual({ keyId: a.info.keyId, name: 'bot-1', scopes: ['read', 'trade'], tsCreated: 100 });
      expect(b.info.scopes).toEqual(['admin']);

      const rows = await opened.driver.query<{ key_id: string; secret_hash: string }>('SELECT key_id, secret_hash FROM api_keys ORDER BY ts_created');
      const secretA = a.key.slice('tw_'.length + 17);
      for (const r of rows) expect(r.secret_hash).not.toContain(secretA);
      // independent check of the stored hash with node's scrypt: scrypt$N$r$p$salt$hash
      const [, n, r, p, salt, hash] = rows[0].secret_hash.split('$');
      expect([n, r, p]).toEqual(['1024', '8', '1']);
      expect(scryptSync(secretA, Buffer.from(salt, 'base64'), 32, { N: 1024, r: 8, p: 1 }).toString('base64')).toBe(hash);
      expect(rows[0].secret_hash.split('$')[4]).not.toBe(rows[1].secret_hash.split('$')[4]);

      expect(await store.verify(a.key, UnixMicros.of(500))).toEqual({ ...a.info, tsLastUsed: 500 });
      // a store with other parameters verifies with the ones stored beside the hash
      expect((await new SqlApiKeyStore(opened.driver, { scrypt: { N: 2048, r: 8, p: 1 } }).verify(b.key, UnixMicros.of(600)))?.name).toBe('ops');
      // an earlier use reported late does not move the last use back
      await store.verify(a.key, UnixMicros.of(400));
      expect((await store.list()).find((k) => k.keyId === a.info.keyId)?.tsLastUsed).toBe(500);
    });

    it('refuses wrong, altered, unknown, malformed and revoked keys alike', async () => {
      const a = await store.create({ name: 'bot-2', scopes: [ApiScope.Trade], tsCreated: UnixMicros.of(300) });
      const b = await store.create({ name: 'bot-3', scopes: [ApiScope.Read], tsCreated: UnixMicros.of(301) });
      const secretB = b.key.slice('tw_'.length + 17);
      const last = a.key.at(-1) === 'A' ? 'B' : 'A';
      for (const bad of [
        `${a.key.slice(0, -1)}${last}`,
        `tw_${a.info.keyId}_${secretB}`,
        `tw_0000000000000000_${secretB}`,
        a.key.slice(0, -1),
        '',
        `${a.key} `,
      ]) {
        expect(await store.verify(bad, UnixMicros.of(1000))).toBeUndefined();
      }
      expect(await store.revoke(a.info.keyId, UnixMicros.of(2000))).toBe(true);
      expect(await store.revoke(a.info.keyId, UnixMicros.of(3000))).toBe(false);
      expect(await store.revoke('nope', UnixMicros.of(3000))).toBe(false);
      expect(await store.verify(a.key, UnixMicros.of(4000))).toBeUndefined();
      expect(await store.verify(b.key, UnixMicros.of(4000))).toBeDefined();
      const listed = await store.list();
      expect(listed.find((k) => k.keyId === a.info.keyId)).toEqual({ ...a.info, tsRevoked: 2000 });
      // listing never carries a secret or a hash
      const allowed = ['keyId', 'name', 'scopes', 'tsCreated', 'tsRevoked', 'tsLastUsed'];
      for (const k of listed) expect(Object.keys(k).filter((f) => !allowed.includes(f))).toEqual([]);
      expect(JSON.stringify(listed)).not.toContain('scrypt');
      expect(listed.map((k) => k.tsCreated)).toEqual([...listed.map((k) => k.tsCreated)].sort((x, y) => x - y));
    });

    it('refuses unknown scopes, no scopes and an empty name', async () => {
      await expect(store.create({ name: 'x', scopes: ['root' as Scope], tsCreated: UnixMicros.of(1) })).rejects.toThrow(/scope/);
      await expect(store.create({ name: 'x', scopes: [], tsCreated: UnixMicros.of(1) })).rejects.toThrow(/scope/);
      await expect(store.create({ name: ' ', scopes: [ApiScope.Read], tsCreated: UnixMicros.of(1) })).rejects.toThrow(/name/);
    });
  });
}
