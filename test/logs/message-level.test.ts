import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOGHUB_FORMATS, parseLoghubStructured } from '../../src/logs/loghub.js';
import { levelFromMessage, lineLevel } from '../../src/logs/message-level.js';

const DATA = '../shared/data/loghub';

describe('levelFromMessage', () => {
  it.each([
    // Headers: log4j / logback / Spring Boot / Python / Zookeeper / Apache.
    ['2022-08-22 03:42:01.123 ERROR 1 --- [nio-8080-exec-1] c.s.t.o.OrderServiceImpl : order failed', 'ERROR'],
    ['2022-08-22 03:42:01.123  INFO 1 --- [main] c.s.t.Application : Started', 'INFO'],
    ['ERROR:root:could not reach the database', 'ERROR'],
    ['2015-07-29 17:41:44,747 - WARN  [QuorumPeer:/0:0:0:0:0:0:0:0:2181] - Cannot open channel', 'WARN'],
    ['[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6', 'ERROR'],
    ['2023/01/02 10:00:00 [warn] 7#7: *1 upstream server temporarily disabled', 'WARN'],
    // Structured: JSON fields (Go, Python, Java), pino numbers, logfmt, log15's spelling.
    ['{"message":"failed to charge card","severity":"error","timestamp":"2022-08-22T03:42:01Z"}', 'ERROR'],
    ['{"@timestamp":"2022-08-22T03:42:01Z","level":"WARNING","logger":"x","message":"slow"}', 'WARNING'],
    ['{"level":50,"time":1661139721000,"msg":"request errored"}', 'ERROR'],
    ['{"level":30,"time":1661139721000,"msg":"request completed"}', 'INFO'],
    ['time=2022-08-22T03:42:01Z level=error msg="dial tcp 10.0.0.7:6379: connection refused"', 'ERROR'],
    ['t=2022-08-22T03:42:01+0000 lvl=eror msg="Failed to send request"', 'ERROR'],
    // klog / glog.
    ['E1202 10:00:00.123456       1 reflector.go:138] failed to list *v1.Pod', 'ERROR'],
    ['I1202 10:00:00.123456       1 leaderelection.go:248] attempting to acquire leader lease', 'INFO'],
    // .NET's console logger.
    ["fail: CartService.Services.CartService[0] Can't access cart storage", 'ERROR'],
    ['info: Microsoft.Hosting.Lifetime[0]', 'INFO'],
    // A container runtime's JSON wrapper around a plain line.
    [
      '{"log":"2022-08-22 03:42:01.123 ERROR 1 --- [exec-1] c.s.t.OrderService : failed\\n","stream":"stdout"}',
      'ERROR',
    ],
    // Wrapped klog, .NET, exception and JSON lines; a CRI prefix; OTel severity numbers; the top level wins.
    ['{"log":"E1202 10:00:00.123456 1 reflector.go:138] failed\\n","stream":"stderr"}', 'ERROR'],
    ['{"log":"fail: CartService[0] boom\\n"}', 'ERROR'],
    ['{"log":"java.lang.NullPointerException: x\\n"}', 'ERROR'],
    ['{"log":"{\\"level\\":\\"warn\\",\\"msg\\":\\"slow\\"}"}', 'WARN'],
    ['2024-01-01T00:00:00.000000001Z stderr F E1202 10:00:00.123456 1 x.go:1] failed', 'ERROR'],
    ['{"severity":17,"body":"x"}', 'ERROR'],
    ['{"data":{"level":"error"},"level":"info"}', 'INFO'],
    // Exceptions and stack frames without a level.
    ['java.lang.NullPointerException: Cannot invoke "String.length()"', 'ERROR'],
    ['\tat com.example.cart.CartService.add(CartService.java:42)', 'ERROR'],
    ['Traceback (most recent call last):', 'ERROR'],
    ['panic: runtime error: invalid memory address or nil pointer dereference', 'ERROR'],
  ])('%s → %s', (line, level) => {
    expect(levelFromMessage(line)).toBe(level);
  });

  it.each([
    'GET /cart 200 12ms',
    'retrying after error in upstream call', // the word in prose is not a level
    'proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
    '{"msg":"ERROR budget is fine","time":1}',
    '2024-01-01 12:00:00 Sending ALERT email to oncall',
  ])('states no level: %s', (line) => {
    expect(levelFromMessage(line)).toBe('');
  });

  it('keeps a given level and reads the message only when none was given', () => {
    expect(lineLevel('info', '2022-08-22 ERROR boom')).toBe('info');
    expect(lineLevel('  ', '2022-08-22 ERROR boom')).toBe('ERROR');
  });

  it.each([
    ['E', 'ERROR'],
    ['w', 'WARN'],
    ['17', 'ERROR'], // OTel SeverityNumber
    ['13', 'WARN'],
    ['9', 'INFO'],
    ['50', 'ERROR'], // pino
    ['fail', 'ERROR'], // .NET
    ['EROR', 'ERROR'], // log15
    ['warning', 'warning'],
    ['Error', 'Error'],
    ['custom', 'custom'],
    ['99', '99'],
  ])('reads a level column spelled %s as %s', (given, level) => {
    expect(lineLevel(given, 'a message that says INFO')).toBe(level);
  });

  it.skipIf(!existsSync(DATA))("reads every Loghub sample's true Level from the raw line", () => {
    for (const name of Object.keys(LOGHUB_FORMATS)) {
      const raw = readFileSync(`${DATA}/${name}/${name}_2k.log`, 'utf8').split('\n').filter(Boolean);
      const truth = parseLoghubStructured(readFileSync(`${DATA}/${name}/${name}_2k.log_structured.csv`, 'utf8'), name);
      expect(raw.length, name).toBe(truth.levels.length);
      const wrong = raw.filter((line, i) => levelFromMessage(line) !== truth.levels[i].toUpperCase());
      expect(wrong.slice(0, 3), name).toEqual([]);
    }
  });
});
