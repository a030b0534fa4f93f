import { describe, expect, it } from 'vitest';
import { isWildcard, matchTokens, patternTokens, Topic, TopicError, topicMatches, topicTokens } from './topic.js';

describe('topic matching (NATS semantics)', () => {
  it.each([
    ['a.b.c', 'a.b.c', true],
    ['a.b.c', 'a.b', false],
    ['a.b', 'a.b.c', false],
    ['a.*.c', 'a.b.c', true],
    ['a.*.c', 'a.b.d', false],
    ['a.*', 'a.b.c', false],
    ['*.*.*', 'a.b.c', true],
    ['a.>', 'a.b', true],
    ['a.>', 'a.b.c.d', true],
    ['a.>', 'a', false], // '>' needs at least one token
    ['>', 'a', true],
    ['>', 'a.b', true],
    ['a.*.>', 'a.b', false],
    ['a.*.>', 'a.b.c', true],
    ['data.trade.>', 'data.trades.X.Y', false], // tokens compare whole, not as prefixes
  ])('%s vs %s -> %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected);
  });

  it('validates patterns and topics', () => {
    expect(() => patternTokens('a.>.b')).toThrow(TopicError);
    expect(() => patternTokens('a..b')).toThrow(/invalid token/);
    expect(() => patternTokens('a.b c')).toThrow(/invalid token/);
    expect(() => patternTokens('a.b*')).toThrow(/invalid token/);
    expect(() => patternTokens('')).toThrow(/invalid token/);
    expect(() => topicTokens('a.*')).toThrow(/wildcards/);
    expect(() => Topic.parse('a.>')).toThrow(/wildcards/);
    expect(() => Topic.endpoint('svc.*')).toThrow(/wildcards/);
    expect(Topic.pattern('a.*.>')).toBe('a.*.>');
    expect(Topic.parse('a.b')).toBe('a.b');
    expect(Topic.endpoint('svc.a.b')).toBe('svc.a.b');
    expect(isWildcard(['a', '*'])).toBe(true);
    expect(isWildcard(['a', 'b'])).toBe(false);
    expect(matchTokens(['a'], ['a'])).toBe(true);
  });
});
