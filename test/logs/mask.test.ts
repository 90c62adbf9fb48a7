import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bareValue,
  gapTexts,
  isIdentifier,
  isPlainWord,
  isTaggedId,
  maskMessage,
  renderTemplate,
  VARIABLE_TOKEN,
} from '../../src/logs/mask.js';

const skeleton = (s: string) => {
  const m = maskMessage(s);
  return { tokens: m.tokens, gaps: [...m.gaps] };
};

describe('maskMessage', () => {
  it('masks numbers, IPs with ports and units, and records where variables sat', () => {
    expect(skeleton('took 1.2 s on 10.0.0.1:80')).toEqual({ tokens: ['took', 'on'], gaps: [0, 1, 1] });
  });

  it.each([
    ['block blk_-6952295868487656571 done', ['block', 'blk_<*>', 'done']],
    ['req 38101a0b-2096-447d-96ea-a692162415ae ok', ['req', 'ok']],
    ['addr 0x7f3a9c00 bad', ['addr', 'bad']],
    ['GET https://example.com/a/b now', ['GET', 'now']],
    ['mail to ops@example.com failed', ['mail', 'to', 'failed']],
    ['open /var/www/html/ denied', ['open', 'denied']],
    ['sent 1893 bytes (1.20 KB) in <1 sec', ['sent', 'bytes', 'in']],
    ['[req-9bc36dd9 12] closed', ['[req-<*>', 'closed']],
    ['[Sun Dec 04 04:47:44 2005] [notice] ok', ['[notice]', 'ok']],
    ['backup may run on Mon', ['backup', 'may', 'run', 'on', 'Mon']],
    ['connect to www.example.com:443 failed', ['connect', 'to', 'failed']],
    ['chip FF:F2:9F:16:E2:23 changed', ['chip', 'changed']],
  ])('%s', (line, tokens) => {
    expect(maskMessage(line).tokens).toEqual(tokens);
  });

  it('an empty value is a variable: `()` and `(host)` leave the same skeleton', () => {
    expect(maskMessage('connection from 1.2.3.4 () at noon').tokens).toEqual(['connection', 'from', 'at', 'noon']);
    expect(maskMessage('connection from 1.2.3.4 (10.0.0.9) at noon').tokens).toEqual(
      maskMessage('connection from 1.2.3.4 () at noon').tokens,
    );
  });

  it('key=value keeps the key; a value with digits is masked, a word value is kept for the miner to judge', () => {
    expect(maskMessage('user=alice id=42 done').tokens).toEqual(['user=alice', 'id=<*>', 'done']);
    expect(maskMessage('state=LOOKING logname= ok').tokens).toEqual(['state=LOOKING', 'logname=', 'ok']);
  });

  it('a word with digits keeps its constant part, so the skeleton keeps its length', () => {
    expect(maskMessage('open through proxy SOCKS5').tokens).toEqual(['open', 'through', 'proxy', 'SOCKS<*>']);
    expect(maskMessage('NFS Mount failed on bglio12, slept').tokens).toEqual([
      'NFS',
      'Mount',
      'failed',
      'on',
      'bglio<*>,',
      'slept',
    ]);
    expect(maskMessage('Failed password for user1 from 1.2.3.4').tokens).toHaveLength(
      maskMessage('Failed password for alice from 1.2.3.4').tokens.length,
    );
    expect(maskMessage('onExtend:1514038530000 14 0 4').tokens).toEqual(['onExtend:<*>']);
    expect(maskMessage('Added attempt_1445144423722_0020_m_000002_0 ok').tokens).toEqual([
      'Added',
      'attempt_<*>',
      'ok',
    ]);
    expect(maskMessage('at (ID=123) now').tokens).toEqual(['at', '(ID=<*>)', 'now']);
  });

  it('a message of variables only keeps one token per word (no catch-all)', () => {
    expect(maskMessage('14 0 4').tokens).toEqual([VARIABLE_TOKEN, VARIABLE_TOKEN, VARIABLE_TOKEN]);
    expect(maskMessage('14 0').tokens).toHaveLength(2);
  });

  it('a list of ids reads as one, whatever its length', () => {
    const a = maskMessage('ask 10.0.0.1:50010 to delete blk_1 blk_2 blk_3');
    const b = maskMessage('ask 10.0.0.1:50010 to delete blk_9');
    expect(a.tokens).toEqual(b.tokens);
  });

  it('a multi-token size leaves the same skeleton as none at all', () => {
    const a = maskMessage('x close, 403 bytes sent, 1 bytes received, lifetime 00:01');
    const b = maskMessage('x close, 1893 bytes (1.84 KB) sent, 8 bytes received, lifetime <1 sec');
    expect(a.tokens).toEqual(b.tokens);
  });

  it('the skeleton does not depend on the values of numbers (property)', () => {
    // Five letters or more: shorter words may be units (s, ms, KB) that join the number before them.
    const word = fc.stringMatching(/^[a-z]{5,8}$/);
    const part = fc.oneof(
      word.map((w) => ({ w })),
      fc.nat().map((n) => ({ n })),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), fc.nat(), (parts, shift) => {
        const line = (k: number) => parts.map((p) => ('w' in p ? p.w : String(p.n + k))).join(' ');
        expect(skeleton(line(0))).toEqual(skeleton(line(shift + 1)));
        const words = parts.flatMap((p) => ('w' in p ? [p.w] : []));
        if (words.length > 0) expect(maskMessage(line(0)).tokens).toEqual(words);
        else expect(maskMessage(line(0)).tokens).toEqual(parts.map(() => VARIABLE_TOKEN));
      }),
    );
  });

  it("gap texts keep the variable's punctuation", () => {
    expect(gapTexts('(estimated size 1.2 KB, free 300.0 MB)')).toEqual(['', '', '<*>,', '<*>)']);
    expect(gapTexts('[instance: 1a2b3c] VM Paused')).toEqual(['', '<*>]', '', '']);
    expect(gapTexts('sent 1893 bytes (1.84 KB) ok')).toEqual(['', '<*>', '(<*>)', '']);
  });

  it('renders a template with one <*> per gap', () => {
    const m = maskMessage('PacketResponder 1 for block blk_38865049064139660 terminating');
    expect(renderTemplate(m.tokens, m.gaps)).toBe('PacketResponder <*> for block blk_<*> terminating');
    expect(renderTemplate([], Uint8Array.of(1))).toBe('<*>');
  });

  it('tells plain words from identifier-like tokens', () => {
    expect(['Paused', '(Lifecycle', 'values,'].map(isPlainWord)).toEqual([true, true, true]);
    expect(['yarn,curi', 'host.example', 'a_b', '-'].map(isPlainWord)).toEqual([false, false, false, false]);
    expect(['yarn,curi', 'org.apache.Foo$Bar', 'rdd_<*>', 'user:<*>'].map(isIdentifier)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['Paused', 'y+', 'ID=<*>', 'SOCKS<*>', 'FAIL_TASK_CLEANUP'].map(isIdentifier)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect([isTaggedId('blk_<*>'), isTaggedId('dcbf.........<*>'), isTaggedId('ID=<*>')]).toEqual([true, false, false]);
    expect(['user=root,', '(bob)', 'x'].map(bareValue)).toEqual(['root', 'bob', 'x']);
  });
});
