import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { UnixMicros } from '../../core/index.js';
import { API_SCOPES } from '../../kernel/ports/api-key-store.js';
import type { ApiKeyInfo, ApiKeyStore, ApiScope, CreatedApiKey } from '../../kernel/ports/api-key-store.js';
import type { SqlDriver } from '../db/driver.js';

export interface ScryptParams {
  /** CPU/memory cost, a power of two (default 16384: about 16 MB and some tens of ms per hash). */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1 };
const HASH_BYTES = 32;
const SALT_BYTES = 16;
const KEY_RE = /^tw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function scrypt(secret: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes, which the default (32 MB) does not for larger N.
    scryptCb(secret, salt, HASH_BYTES, { ...params, maxmem: 256 * params.N * params.r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$<salt base64>$<hash base64>`: the parameters travel with the hash, so they can be raised later. */
function encodeHash(params: ScryptParams, salt: Buffer, hash: Buffer): string {
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function decodeHash(text: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  return { params: { N, r, p }, salt: Buffer.from(parts[4], 'base64'), hash: Buffer.from(parts[5], 'base64') };
}

interface KeyRow {
  key_id: string;
  name: string;
  scopes: string[];
  ts_created: number;
  ts_revoked: number | null;
  ts_last_used: number | null;
}

const INFO_COLUMNS = 'key_id, name, scopes, ts_created, ts_revoked, ts_last_used';

function infoFromRow(r: KeyRow): ApiKeyInfo {
  return {
    keyId: r.key_id,
    name: r.name,
    scopes: r.scopes as ApiScope[],
    tsCreated: UnixMicros.unsafe(r.ts_created),
    ...(r.ts_revoked === null ? {} : { tsRevoked: UnixMicros.unsafe(r.ts_revoked) }),
    ...(r.ts_last_used === null ? {} : { tsLastUsed: UnixMicros.unsafe(r.ts_last_used) }),
  };
}

/**
 * ApiKeyStore over any SqlDriver. A key is `tw_<key id: 16 hex>_<secret: 32 random bytes, base64url>`; the
 * table keeps the key id and an scrypt hash of the secret with a salt of its own.
 */
export class SqlApiKeyStore implements ApiKeyStore {
  private readonly scryptParams: ScryptParams;
  /** Hashed when the key id is unknown, so that a miss costs as much time as a wrong secret. */
  private readonly decoy: { salt: Buffer; params: ScryptParams };

  constructor(
    readonly db: SqlDriver,
    options: { readonly scrypt?: ScryptParams } = {},
  ) {
    this.scryptParams = options.scrypt ?? DEFAULT_SCRYPT;
    this.decoy = { salt: randomBytes(SALT_BYTES), params: this.scryptParams };
  }

  async create(params: { readonly name: string; readonly scopes: readonly ApiScope[]; readonly tsCreated: UnixMicros }): Promise<CreatedApiKey> {
    const scopes = [...new Set(params.scopes)];
    if (scopes.length === 0) throw new RangeError('an API key needs at least one scope');
    for (const s of scopes) if (!API_SCOPES.includes(s)) throw new RangeError(`unknown API key scope: ${JSON.stringify(s)}`);
    if (params.name.trim() === '') throw new RangeError('an API key needs a name');
    const keyId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(SALT_BYTES);
    const hash = await scrypt(secret, salt, this.scryptParams);
    const rows = await this.db.query<KeyRow>(
      `INSERT INTO api_keys (key_id, secret_hash, name, scopes, ts_created) VALUES ($1, $2, $3, $4::text[], $5) RETURNING ${INFO_COLUMNS}`,
      [keyId, encodeHash(this.scryptParams, salt, hash), params.name, scopes, params.tsCreated],
    );
    return { info: infoFromRow(rows[0]), key: `tw_${keyId}_${secret}` };
  }

  async verify(presented: string, now: UnixMicros): Promise<ApiKeyInfo | undefined> {
    const m = KEY_RE.exec(presented);
    if (m === null) return undefined;
    const [, keyId, secret] = m;
    const rows = await this.db.query<{ secret_hash: string; ts_revoked: number | null }>(
      'SELECT secret_hash, ts_revoked FROM api_keys WHERE key_id = $1',
      [keyId],
    );
    const stored = rows.length === 0 ? undefined : decodeHash(rows[0].secret_hash);
    if (stored === undefined) {
      await scrypt(secret, this.decoy.salt, this.decoy.params);
      return undefined;
    }
    const hash = await scrypt(secret, stored.salt, stored.params);
    if (hash.length !== stored.hash.length || !timingSafeEqual(hash, stored.hash) || rows[0].ts_revoked !== null) return undefined;
    const updated = await this.db.query<KeyRow>(
      `UPDATE api_keys SET ts_last_used = GREATEST(coalesce(ts_last_used, $2), $2) WHERE key_id = $1 AND ts_revoked IS NULL
       RETURNING ${INFO_COLUMNS}`,
      [keyId, now],
    );
    // revoked between the two statements
    return updated.length === 0 ? undefined : infoFromRow(updated[0]);
  }

  async revoke(keyId: string, now: UnixMicros): Promise<boolean> {
    const rows = await this.db.query('UPDATE api_keys SET ts_revoked = $2 WHERE key_id = $1 AND ts_revoked IS NULL RETURNING 1', [keyId, now]);
    return rows.length > 0;
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.db.query<KeyRow>(`SELECT ${INFO_COLUMNS} FROM api_keys ORDER BY ts_created, key_id`);
    return rows.map(infoFromRow);
  }
}
