import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { compileLogFormat } from '../../src/logs/log-format.js';
import { LOGHUB_FORMATS, parseLoghubStructured } from '../../src/logs/loghub.js';

const DATA = '../shared/data/loghub';

describe('compileLogFormat', () => {
  it('splits a header from the message', () => {
    const f = compileLogFormat('<Date> <Time> <Level> <Component>: <Content>');
    expect(f.fields).toEqual(['Date', 'Time', 'Level', 'Component', 'Content']);
    expect(f.parse('17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn')).toEqual({
      Date: '17/06/09',
      Time: '20:10:40',
      Level: 'INFO',
      Component: 'spark.SecurityManager',
      Content: 'Changing view acls to: yarn',
    });
    expect(f.parse('no header here')).toBeUndefined();
  });

  it('accepts Loghub-style escaped brackets and literal regex characters', () => {
    const f = compileLogFormat('\\[<Time>\\] (<Level>) <Content>');
    expect(f.parse('[10.30 16:49:06] (warn) a.b+c')).toMatchObject({
      Time: '10.30 16:49:06',
      Level: 'warn',
      Content: 'a.b+c',
    });
  });

  it('rejects formats without <Content> or with a repeated field', () => {
    expect(() => compileLogFormat('<Date> <Time>')).toThrow(InputError);
    expect(() => compileLogFormat('<A> <A> <Content>')).toThrow(/twice/);
  });

  it.skipIf(!existsSync(DATA))('reproduces the Content column of every Loghub sample', () => {
    for (const [name, format] of Object.entries(LOGHUB_FORMATS)) {
      const raw = readFileSync(`${DATA}/${name}/${name}_2k.log`, 'utf8').split('\n').filter(Boolean);
      const truth = parseLoghubStructured(readFileSync(`${DATA}/${name}/${name}_2k.log_structured.csv`, 'utf8'), name);
      const f = compileLogFormat(format);
      const got = raw.map((l) => f.parse(l)?.Content);
      expect(got.length, name).toBe(truth.contents.length);
      const same = got.filter((c, i) => c?.trim() === truth.contents[i].trim()).length;
      expect(same, name).toBe(truth.contents.length);
    }
  });
});
