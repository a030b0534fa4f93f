import { TradewindError } from '../../core/errors.js';

declare const messageBrand: unique symbol;
declare const exactBrand: unique symbol;
declare const endpointBrand: unique symbol;

/**
 * A subscription pattern whose matching topics carry messages of type `M`: dot-separated tokens where `*`
 * matches exactly one token and a final `>` matches one or more trailing tokens (NATS subject syntax, so
 * the same string works on the in-process bus and on NATS). `M` exists only at the type level.
 */
export type TopicPattern<M = unknown> = string & { readonly [messageBrand]: M };

/** A concrete topic (no wildcards) carrying messages of type `M`. Every topic is also a pattern matching itself. */
export type Topic<M = unknown> = TopicPattern<M> & { readonly [exactBrand]: true };

/** A request/response address: requests of type `Q`, replies of type `R`. */
export type Endpoint<Q = unknown, R = unknown> = string & { readonly [endpointBrand]: (q: Q) => R };

/** A topic or pattern that is not a valid NATS subject, or a token that cannot be decoded. */
export class TopicError extends TradewindError {}

// Printable ASCII other than the separators and wildcards; NATS also rejects whitespace and empty tokens.
const TOKEN_RE = /^[\x21-\x29\x2b-\x2d\x2f-\x3d\x3f-\x7e]+$/;

/** Splits and validates a pattern; wildcards are allowed only as whole tokens and `>` only last. */
export function patternTokens(pattern: string): string[] {
  const tokens = pattern.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '*') continue;
    if (t === '>') {
      if (i !== tokens.length - 1) throw new TopicError(`'>' must be the last token: ${JSON.stringify(pattern)}`);
      continue;
    }
    if (!TOKEN_RE.test(t)) throw new TopicError(`invalid token ${JSON.stringify(t)} in topic ${JSON.stringify(pattern)}`);
  }
  return tokens;
}

/** Splits and validates a concrete topic (no wildcards). */
export function topicTokens(topic: string): string[] {
  const tokens = patternTokens(topic);
  for (const t of tokens) {
    if (t === '*' || t === '>') throw new TopicError(`a published topic cannot contain wildcards: ${JSON.stringify(topic)}`);
  }
  return tokens;
}

/** True when any token is a wildcard. */
export function isWildcard(tokens: readonly string[]): boolean {
  for (const t of tokens) if (t === '*' || t === '>') return true;
  return false;
}

/** NATS matching of pre-split tokens: `*` is one token, a final `>` is one or more. */
export function matchTokens(pattern: readonly string[], topic: readonly string[]): boolean {
  const n = pattern.length;
  for (let i = 0; i < n; i++) {
    const p = pattern[i];
    if (p === '>') return topic.length > i;
    if (i >= topic.length) return false;
    if (p !== '*' && p !== topic[i]) return false;
  }
  return topic.length === n;
}

/** String form of {@link matchTokens}, for tests and occasional checks (splits both strings). */
export function topicMatches(pattern: string, topic: string): boolean {
  return matchTokens(patternTokens(pattern), topicTokens(topic));
}

/**
 * Validating constructors for strings that come from outside (config, a NATS message's subject, tests).
 * Code inside Tradewind gets its topics from the switchboard (`topics.ts`) instead.
 */
export const Topic = {
  parse<M = unknown>(s: string): Topic<M> {
    topicTokens(s);
    return s as Topic<M>;
  },
  pattern<M = unknown>(s: string): TopicPattern<M> {
    patternTokens(s);
    return s as TopicPattern<M>;
  },
  endpoint<Q = unknown, R = unknown>(s: string): Endpoint<Q, R> {
    topicTokens(s);
    return s as string as Endpoint<Q, R>;
  },
} as const;
