import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainWord, maskMessage, renderTemplate } from '../../src/logs/mask.js';

const skeleton = (s: string) => {
  const m = maskMessage(s);
  return { tokens: m.tokens, gaps: [...m.gaps] };
};

describe('maskMessage', () => {
  it('masks numbers, IPs with ports and units, and records where variables sat', () => {
    expect(skeleton('took 1.2 s on 10.0.0.1:80')).toEqual({ tokens: ['took', 'on'], gaps: [0, 1, 1] });
  });

  it.each([
    ['block blk_-6952295868487656571 done', ['block', 'done']],
    ['req 38101a0b-2096-447d-96ea-a692162415ae ok', ['req', 'ok']],
    ['addr 0x7f3a9c00 bad', ['addr', 'bad']],
    ['GET https://example.com/a/b now', ['GET', 'now']],
    ['mail to ops@example.com failed', ['mail', 'to', 'failed']],
    ['open /var/www/html/ denied', ['open', 'denied']],
    ['sent 1893 bytes (1.20 KB) in <1 sec', ['sent', 'bytes', 'in']],
    ['user=alice id=42 done', ['user=<*>', 'id=<*>', 'done']],
    ['[req-9bc36dd9 12] closed', ['closed']],
    ['[Sun Dec 04 04:47:44 2005] [notice] ok', ['[notice]', 'ok']],
    ['backup may run on Mon', ['backup', 'may', 'run', 'on', 'Mon']],
  ])('%s', (line, tokens) => {
    expect(maskMessage(line).tokens).toEqual(tokens);
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
        expect(maskMessage(line(0)).tokens).toEqual(parts.flatMap((p) => ('w' in p ? [p.w] : [])));
      }),
    );
  });

  it('renders a template with one <*> per gap', () => {
    const m = maskMessage('PacketResponder 1 for block blk_38865049064139660 terminating');
    expect(renderTemplate(m.tokens, m.gaps)).toBe('PacketResponder <*> for block <*> terminating');
    expect(renderTemplate([], Uint8Array.of(1))).toBe('<*>');
  });

  it('tells plain words from identifier-like tokens', () => {
    expect(['Paused', '(Lifecycle', 'values,'].map(isPlainWord)).toEqual([true, true, true]);
    expect(['yarn,curi', 'host.example', 'a_b', '-'].map(isPlainWord)).toEqual([false, false, false, false]);
  });
});
