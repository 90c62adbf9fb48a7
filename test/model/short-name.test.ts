import { describe, expect, it } from 'vitest';
import { shortName } from '../../src/model/short-name.js';
import { alertUid, uids } from '../../src/model/uid.js';

describe('shortName', () => {
  it('is the readable last part of a uid, unescaped', () => {
    expect(shortName(uids.service('cartservice', 'shop'))).toBe('cartservice');
    expect(shortName(uids.pod('web/1', 'shop'))).toBe('web/1');
    expect(shortName(uids.machine('vm1'))).toBe('vm1');
    expect(shortName(alertUid('fp1'))).toBe('fp1');
    expect(shortName(uids.service('a:b', 'shop'))).toBe('a:b');
  });

  it('leaves plain names alone', () => {
    expect(shortName('cartservice')).toBe('cartservice');
    expect(shortName('host:port')).toBe('host:port');
    expect(shortName('100%')).toBe('100%');
  });
});
