import type { UnixMicros } from '../../core/index.js';

/** What an API key may do: read data, trade (submit and cancel orders), administer (keys, risk switches). */
export const ApiScope = { Read: 'read', Trade: 'trade', Admin: 'admin' } as const;
export type ApiScope = (typeof ApiScope)[keyof typeof ApiScope];
export const API_SCOPES: readonly ApiScope[] = Object.values(ApiScope);

/** An API key as listed: never its secret nor the secret's hash. */
export interface ApiKeyInfo {
  /** Public id, also the start of the key the client presents. */
  readonly keyId: string;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
  readonly tsCreated: UnixMicros;
  readonly tsRevoked?: UnixMicros;
  readonly tsLastUsed?: UnixMicros;
}

export interface CreatedApiKey {
  readonly info: ApiKeyInfo;
  /** The full key to give to the client. Shown once: only a hash of its secret is stored. */
  readonly key: string;
}

/** API keys; the store keeps only a salted slow hash of each key's secret. */
export interface ApiKeyStore {
  create(params: { readonly name: string; readonly scopes: readonly ApiScope[]; readonly tsCreated: UnixMicros }): Promise<CreatedApiKey>;
  /**
   * The key's info when `presented` is a key that exists and is not revoked (and records `now` as its last
   * use); undefined otherwise, whatever the reason, so a caller cannot tell a wrong secret from an unknown id.
   */
  verify(presented: string, now: UnixMicros): Promise<ApiKeyInfo | undefined>;
  /** True when the key existed and was not revoked yet. */
  revoke(keyId: string, now: UnixMicros): Promise<boolean>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyInfo[]>;
}
