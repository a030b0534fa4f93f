import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * Coinbase Developer Platform (CDP) API keys sign a short-lived JWT with ES256 (ECDSA P-256 + SHA-256):
 *   header  { alg: 'ES256', kid: <key name>, nonce: <random hex>, typ: 'JWT' }
 *   payload { iss: 'cdp', sub: <key name>, nbf: now, exp: now + 120 [, uri: 'GET api.coinbase.com/path'] }
 * The WebSocket sends it in the subscribe message (`jwt` field); REST sends `Authorization: Bearer <jwt>`.
 * The key name is `organizations/{org}/apiKeys/{id}`, the secret a PEM EC private key. Both come only from
 * the environment or a secret file (COINBASE_API_KEY_NAME, COINBASE_API_PRIVATE_KEY), never from config.
 */
export interface CdpCredentials {
  readonly keyName: string;
  readonly privateKey: KeyObject;
}

export class CoinbaseCredentialsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoinbaseCredentialsError';
  }
}

export function loadCdpCredentials(keyName: string | undefined, pem: string | undefined): CdpCredentials {
  if (keyName === undefined || keyName === '' || pem === undefined || pem === '') {
    throw new CoinbaseCredentialsError('COINBASE_API_KEY_NAME and COINBASE_API_PRIVATE_KEY must both be set');
  }
  try {
    // Keys pasted into environment variables often carry literal "\n" sequences.
    const privateKey = createPrivateKey(pem.replace(/\\n/g, '\n'));
    if (privateKey.asymmetricKeyType !== 'ec') throw new Error(`key type is ${privateKey.asymmetricKeyType}, not ec`);
    return { keyName, privateKey };
  } catch (err) {
    // The message names the problem, never the key.
    throw new CoinbaseCredentialsError(`COINBASE_API_PRIVATE_KEY is not a usable EC private key: ${(err as Error).message}`, { cause: err });
  }
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** Builds a CDP JWT valid for two minutes from `nowSeconds` (the caller's clock). */
export function buildCdpJwt(credentials: CdpCredentials, nowSeconds: number, uri?: string): string {
  const header = { alg: 'ES256', kid: credentials.keyName, nonce: randomBytes(16).toString('hex'), typ: 'JWT' };
  const payload = { iss: 'cdp', sub: credentials.keyName, nbf: nowSeconds, exp: nowSeconds + 120, ...(uri === undefined ? {} : { uri }) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key: credentials.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}
