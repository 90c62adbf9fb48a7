/**
 * Synthetic log systems with known events, for checking that the template miner generalises to
 * shapes it was not tuned on. Each system mimics a family of real logs (an SSH daemon, a phone
 * health app whose words all carry digits, a syslog with empty fields, an orchestrator whose events
 * differ in one state word, a service with `key=value` fields, a proxy naming protocols), with
 * variables of many shapes: open vocabularies of user and host names drawn with Zipf weights
 * (a few frequent, a long tail), ids with and without digits, empty values, numbers of varying
 * count. The truth is the event each line was generated from. Deterministic for a seed.
 */
import { mulberry32 } from '../util/seeded-random.js';

/** One generated line and the event (template) it came from. */
export interface LabelledLine {
  message: string;
  event: string;
}

type Rng = () => number;
type Gen = (r: Rng) => string;

interface EventSpec {
  /** The event's name (its template as a person would write it). */
  event: string;
  weight: number;
  render: Gen;
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
/** Zipf-like choice: index k with weight 1/(k+1). */
function zipf<T>(r: Rng, xs: readonly T[]): T {
  let total = 0;
  for (let k = 0; k < xs.length; k++) total += 1 / (k + 1);
  let u = r() * total;
  for (let k = 0; k < xs.length; k++) {
    u -= 1 / (k + 1);
    if (u <= 0) return xs[k];
  }
  return xs[xs.length - 1];
}

const ip = (r: Rng) => `${int(r, 1, 223)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;
const hex = (r: Rng, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(r, 0, 15)]).join('');
const letters = (r: Rng, n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[int(r, 0, 25)]).join('');

/** Account names as attackers and cron jobs use them: a few common, a long tail, some with digits. */
const USERS = [
  'root',
  'admin',
  'test',
  'oracle',
  'guest',
  'user1',
  'postgres',
  'webmaster',
  'ftpuser',
  'nagios',
  'git',
  'ubuntu',
  'support',
  'tester',
  'mysql',
  'info',
  'test123',
  'student',
  'backup',
  'operator',
  'deploy',
  'jenkins',
  'hadoop',
  'pi',
  'apache',
  'www',
  'mail',
  'demo',
  'sales',
  'user',
];
const HOSTS = (r: Rng) =>
  pick(r, [
    () => `${letters(r, int(r, 4, 9))}.${pick(r, ['example', 'corp', 'campus'])}.${pick(r, ['com', 'net', 'org'])}`,
    () => `adsl-${int(r, 1, 255)}-${int(r, 1, 255)}.dsl.${letters(r, 5)}.net`,
    () => ip(r),
    () => '',
  ])();
const WHEN = (r: Rng) =>
  `${pick(r, ['Sun', 'Mon', 'Tue'])} ${pick(r, ['Jun', 'Jul'])} ${int(r, 1, 28)} ${int(r, 10, 23)}:${int(r, 10, 59)}:${int(r, 10, 59)} 2005`;

const SSHD: EventSpec[] = [
  { event: 'Invalid user <*> from <*>', weight: 8, render: (r) => `Invalid user ${zipf(r, USERS)} from ${ip(r)}` },
  {
    event: 'input_userauth_request: invalid user <*> [preauth]',
    weight: 8,
    render: (r) => `input_userauth_request: invalid user ${zipf(r, USERS)} [preauth]`,
  },
  {
    event: 'Failed password for invalid user <*> from <*> port <*> ssh2',
    weight: 6,
    render: (r) => `Failed password for invalid user ${zipf(r, USERS)} from ${ip(r)} port ${int(r, 1024, 65535)} ssh2`,
  },
  {
    event: 'Failed password for <*> from <*> port <*> ssh2',
    weight: 6,
    render: (r) => `Failed password for ${zipf(r, USERS)} from ${ip(r)} port ${int(r, 1024, 65535)} ssh2`,
  },
  {
    event: 'Accepted publickey for <*> from <*> port <*> ssh2: RSA SHA256:<*>',
    weight: 2,
    render: (r) =>
      `Accepted publickey for ${zipf(r, ['deploy', 'git', 'ubuntu', 'jenkins'])} from ${ip(r)} port ${int(r, 1024, 65535)} ssh2: RSA SHA256:${hex(r, 12)}`,
  },
  {
    event: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=<*> user=<*>',
    weight: 5,
    render: (r) =>
      `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip(r)}  user=${zipf(r, USERS)}`,
  },
  {
    event: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=<*>',
    weight: 5,
    render: (r) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip(r)}`,
  },
  {
    event: 'Received disconnect from <*>: 11: Bye Bye [preauth]',
    weight: 6,
    render: (r) => `Received disconnect from ${ip(r)}: 11: Bye Bye [preauth]`,
  },
  {
    event: 'Connection closed by <*> [preauth]',
    weight: 4,
    render: (r) => `Connection closed by ${ip(r)} [preauth]`,
  },
  {
    event: 'reverse mapping checking getaddrinfo for <*> [<*>] failed - POSSIBLE BREAK-IN ATTEMPT!',
    weight: 3,
    render: (r) =>
      `reverse mapping checking getaddrinfo for ${HOSTS(r) || 'unknown'} [${ip(r)}] failed - POSSIBLE BREAK-IN ATTEMPT!`,
  },
  {
    event: 'session opened for user <*> by (uid=0)',
    weight: 2,
    render: (r) => `pam_unix(cron:session): session opened for user ${zipf(r, USERS)} by (uid=0)`,
  },
];

/** Words that carry digits everywhere, as in a phone app's step counter. */
const HEALTH: EventSpec[] = [
  { event: 'onStandStepChanged <*>', weight: 8, render: (r) => `onStandStepChanged ${int(r, 1000, 9999)}` },
  {
    event: 'onExtend:<*> <*> <*> <*>',
    weight: 6,
    render: (r) => `onExtend:${int(r, 1.5e12, 1.6e12)} ${int(r, 0, 20)} ${int(r, 0, 9)} ${int(r, 0, 9)}`,
  },
  {
    event: 'REPORT : <*> <*> <*> <*>',
    weight: 4,
    render: (r) => `REPORT : ${int(r, 1000, 9999)} ${int(r, 0, 9)} ${int(r, 100, 200)} ${int(r, 1e5, 3e5)}`,
  },
  {
    event: 'setTodayTotalDetailSteps=<*>',
    weight: 5,
    render: (r) =>
      `setTodayTotalDetailSteps=${int(r, 1.5e12, 1.6e12)}##${int(r, 1000, 9999)}##${int(r, 1e5, 9e5)}##${int(r, 1000, 9999)}`,
  },
  { event: 'flush sensor data', weight: 3, render: () => 'flush sensor data' },
  {
    event: 'calculateCaloriesWithCache totalCalories=<*>',
    weight: 4,
    render: (r) => `calculateCaloriesWithCache totalCalories=${int(r, 1e4, 2e5)}`,
  },
  {
    event: 'calculateAltitudeWithCache totalAltitude=<*>',
    weight: 4,
    render: (r) => `calculateAltitudeWithCache totalAltitude=${int(r, 0, 500)}`,
  },
  {
    event: 'getTodayTotalDetailSteps = <*>',
    weight: 3,
    render: (r) => `getTodayTotalDetailSteps = ${int(r, 1.5e12, 1.6e12)}##${int(r, 1000, 9999)}##${int(r, 1e5, 9e5)}`,
  },
  { event: '<*> <*>', weight: 2, render: (r) => `${int(r, 1.5e12, 1.6e12)} ${int(r, 0, 99)}` },
  {
    event: 'processHandleBroadcastAction action:<*>',
    weight: 2,
    render: (r) =>
      `processHandleBroadcastAction action:android.intent.action.${pick(r, ['SCREEN_ON', 'SCREEN_OFF', 'TIME_TICK'])}`,
  },
];

/** Syslog with optional fields: an empty `()` where a host name was not resolved. */
const SYSLOG: EventSpec[] = [
  {
    event: 'connection from <*> (<*>) at <*>',
    weight: 6,
    render: (r) => `connection from ${ip(r)} (${HOSTS(r)}) at ${WHEN(r)}`,
  },
  {
    event: 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=<*>',
    weight: 6,
    render: (r) => `authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=${HOSTS(r) || ip(r)}`,
  },
  {
    event: 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=<*> user=<*>',
    weight: 4,
    render: (r) =>
      `authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=${HOSTS(r) || ip(r)}  user=${zipf(r, USERS)}`,
  },
  { event: 'check pass; user unknown', weight: 4, render: () => 'check pass; user unknown' },
  {
    event: 'ALERT exited abnormally with [<*>]',
    weight: 2,
    render: (r) => `ALERT exited abnormally with [${int(r, 1, 2)}]`,
  },
  {
    event: 'Kerberos authentication failed',
    weight: 1,
    render: () => 'Kerberos authentication failed',
  },
  {
    event: 'session closed for user <*>',
    weight: 3,
    render: (r) => `session closed for user ${zipf(r, USERS)}`,
  },
  {
    event: 'ANONYMOUS FTP LOGIN FROM <*>, <*>',
    weight: 2,
    render: (r) => `ANONYMOUS FTP LOGIN FROM ${ip(r)}, (anonymous${pick(r, ['', '@', '@example.com'])})`,
  },
  {
    event: 'Connection reset by peer (<*>)',
    weight: 2,
    render: (r) => `Connection reset by peer (${pick(r, ['', `fd=${int(r, 3, 99)}`])})`,
  },
];

/** An orchestrator whose events differ in one state word (closed sets are events, not values). */
const STATES = ['Paused', 'Started', 'Resumed', 'Stopped'];
const ORCHESTRATOR: EventSpec[] = [
  ...STATES.map((s) => ({
    event: `[instance: <*>] VM ${s} (Lifecycle Event)`,
    weight: 4,
    render: (r: Rng) => `[instance: ${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}] VM ${s} (Lifecycle Event)`,
  })),
  ...(
    [
      ['NEW', 'SCHEDULED'],
      ['SCHEDULED', 'RUNNING'],
      ['RUNNING', 'SUCCEEDED'],
      ['RUNNING', 'FAILED'],
      ['FAILED', 'RETRYING'],
      ['RETRYING', 'SCHEDULED'],
    ] as const
  ).map(([a, b]) => ({
    event: `task_<*> Transitioned from ${a} to ${b}`,
    weight: 3,
    render: (r: Rng) => `task_${int(r, 1e9, 2e9)}_${int(r, 1, 99)} Transitioned from ${a} to ${b}`,
  })),
  ...['ACTIVE', 'STANDBY', 'FENCED'].map((s) => ({
    event: `HA state=${s} for node <*>`,
    weight: 2,
    render: (r: Rng) => `HA state=${s} for node nn${int(r, 1, 9)}`,
  })),
  {
    event: 'Took <*> seconds to build instance.',
    weight: 3,
    render: (r) => `Took ${(r() * 30).toFixed(2)} seconds to build instance.`,
  },
];

/** A web service with `key=value` fields whose values are names, ids and numbers. */
const SERVICE: EventSpec[] = [
  {
    event: 'request done method=GET path=<*> user=<*> took <*>',
    weight: 8,
    render: (r) =>
      `request done method=GET path=/api/v1/items/${int(r, 1, 999)} user=${zipf(r, USERS)} took ${int(r, 1, 900)} ms`,
  },
  {
    event: 'login ok user=<*> session=<*>',
    weight: 5,
    render: (r) => `login ok user=${zipf(r, USERS)} session=${letters(r, 10)}`,
  },
  {
    event: 'cache miss key=<*> (ttl=<*>)',
    weight: 4,
    render: (r) => `cache miss key=${pick(r, ['user', 'cart', 'item'])}:${int(r, 1, 1e5)} (ttl=${int(r, 0, 60)})`,
  },
  {
    event: 'worker <*> picked job <*> from queue <*>',
    weight: 4,
    render: (r) =>
      `worker ${zipf(r, ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'])} picked job ${hex(r, 12)} from queue ${zipf(r, ['email', 'billing', 'export', 'thumbnails', 'reports', 'search'])}`,
  },
  {
    event: 'upstream <*> responded <*> in <*>',
    weight: 4,
    render: (r) =>
      `upstream ${letters(r, 6)}-svc.default.svc.cluster.local responded ${pick(r, [200, 201, 404])} in ${int(r, 1, 500)}ms`,
  },
  {
    event: 'GC pause (G1 Evacuation Pause) <*>',
    weight: 2,
    render: (r) =>
      `GC pause (G1 Evacuation Pause) ${int(r, 10, 900)}M->${int(r, 10, 900)}M(${int(r, 900, 2000)}M), ${(r() * 0.2).toFixed(4)} secs`,
  },
];

/** A proxy whose events name protocols with digits (`SOCKS5`), and hosts as ids. */
const PROXY: EventSpec[] = [
  ...['HTTPS', 'SOCKS5'].map((p) => ({
    event: `<*> open through proxy <*> ${p}`,
    weight: 5,
    render: (r: Rng) =>
      `${HOSTS(r) || 'localhost'}:${int(r, 80, 9000)} open through proxy ${letters(r, 5)}.example.com:5070 ${p}`,
  })),
  {
    event: '<*> close, <*> bytes sent, <*> bytes received, lifetime <*>',
    weight: 8,
    render: (r) =>
      `${HOSTS(r) || 'localhost'}:${int(r, 80, 9000)} close, ${int(r, 0, 9999)} bytes${pick(r, ['', ` (${(r() * 9).toFixed(2)} KB)`])} sent, ${int(r, 0, 99)} bytes received, lifetime ${pick(r, ['<1 sec', `00:${int(r, 10, 59)}`])}`,
  },
  {
    event: 'Loaded module <*> (api v<*>) using <*>',
    weight: 2,
    render: (r) =>
      `Loaded module lib${letters(r, 5)}${int(r, 1, 3)}.so (api v${int(r, 1, 3)}) using ${pick(r, ['http2', 'http11'])}`,
  },
];

/** Wake-lock tags as apps name them: a few busy ones and a long tail. */
const TAGS = [
  'WindowManager',
  'AudioMix',
  'RILJ',
  'NetworkStats',
  'SyncLoopWakeLock',
  'GCMDispatcher',
  'LocationManagerService',
  'AlarmManager',
  'JobScheduler',
  'NlpWakeLock',
  'Icing',
  'WifiSuspend',
  'DeviceIdleHelper',
  'KeyguardViewMediator',
  'NfcService',
  'PowerManagerService.Display',
  'ScreenOn',
  'TelephonyProvider',
  'DownloadManager',
  'ContactsSync',
];

/** A phone's window manager: `key=value` runs with hex values, braces, nested ids. */
const PHONE: EventSpec[] = [
  {
    event: 'setSystemUiVisibility vis=<*> mask=<*> oldVal=<*> newVal=<*> diff=<*>',
    weight: 6,
    render: (r) =>
      `setSystemUiVisibility vis=${hex(r, 8)} mask=${pick(r, ['ffffffff', '1', '0'])} oldVal=${hex(r, 8)} newVal=${hex(r, 8)} diff=${hex(r, 8)}`,
  },
  {
    event: 'Skipping AppWindowToken{<*> token=Token{<*> ActivityRecord{<*> u0 <*> t<*>}}} -- going to hide',
    weight: 4,
    render: (r) =>
      `Skipping AppWindowToken{${hex(r, 7)} token=Token{${hex(r, 7)} ActivityRecord{${hex(r, 7)} u0 com.${letters(r, 5)}.app/.${pick(r, ['MainActivity', 'PlayerActivity', 'LoginActivity'])} t${int(r, 100, 999)}}}} -- going to hide`,
  },
  {
    event: 'acquire lock=<*>, flags=<*>, tag=<*>, name=<*>, ws=null, uid=<*>, pid=<*>',
    weight: 5,
    render: (r) =>
      `acquire lock=${int(r, 1e8, 9e8)}, flags=0x${hex(r, 1)}, tag="${zipf(r, TAGS)}", name=${pick(r, ['android', 'com.android.phone', 'com.android.systemui'])}, ws=null, uid=${int(r, 1000, 10100)}, pid=${int(r, 100, 9999)}`,
  },
  {
    event: 'release lock=<*>, flg=<*>, tag=<*>, name=<*>, ws=null, uid=<*>, pid=<*>',
    weight: 5,
    render: (r) =>
      `release lock=${int(r, 1e8, 9e8)}, flg=0x0, tag="${zipf(r, TAGS)}", name=${pick(r, ['android', 'com.android.phone', 'com.android.systemui'])}, ws=null, uid=${int(r, 1000, 10100)}, pid=${int(r, 100, 9999)}`,
  },
  {
    event: 'visible is system.call.count gt 0',
    weight: 2,
    render: () => 'visible is system.call.count gt 0',
  },
];

/** A Windows servicing log: versions, long paths, package names with `~`. */
const SERVICING: EventSpec[] = [
  {
    event: 'Loaded Servicing Stack v<*> with Core: <*>',
    weight: 3,
    render: (r) =>
      `Loaded Servicing Stack v6.1.7601.${int(r, 17000, 24000)} with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.${int(r, 17000, 24000)}_none_${hex(r, 16)}\\cbscore.dll`,
  },
  {
    event: 'Read out cached package applicability for package: <*>, ApplicableState: <*>, CurrentState:<*>',
    weight: 8,
    render: (r) =>
      `Read out cached package applicability for package: Package_for_KB${int(r, 2e6, 4e6)}~31bf3856ad364e35~amd64~~6.1.${int(r, 1, 9)}.${int(r, 0, 9)}, ApplicableState: ${pick(r, [80, 112])}, CurrentState:${pick(r, [80, 112])}`,
  },
  {
    event: 'Session: <*> initialized by client <*>.',
    weight: 4,
    render: (r) =>
      `Session: ${int(r, 3e7, 4e7)}_${int(r, 1e9, 4e9)} initialized by client ${pick(r, ['WindowsUpdateAgent', 'DISM Package Manager Provider'])}.`,
  },
  {
    event: 'SQM: Initializing online with Windows opt-in: False',
    weight: 2,
    render: () => 'SQM: Initializing online with Windows opt-in: False',
  },
  {
    event: 'Warning: Unrecognized packageExtended attribute.',
    weight: 2,
    render: () => 'Warning: Unrecognized packageExtended attribute.',
  },
];

/** A cluster's hardware monitor: numbered nodes and interfaces, lists of readings. */
const CLUSTER: EventSpec[] = [
  {
    event: 'Fan speeds ( <*> )',
    weight: 4,
    render: (r) => `Fan speeds ( ${Array.from({ length: int(r, 3, 6) }, () => int(r, 3000, 4500)).join(' ')} )`,
  },
  {
    event: '<*> has detected an available network connection on network <*> via interface <*>',
    weight: 5,
    render: (r) =>
      `node-${pick(r, ['D', 'E'])}${int(r, 1, 40)} has detected an available network connection on network ${ip(r)} via interface alt${int(r, 0, 1)}`,
  },
  {
    event: 'ServerFileSystem domain <*> is full',
    weight: 3,
    render: (r) => `ServerFileSystem domain storage${int(r, 100, 999)} is full`,
  },
  {
    event: 'Component State Change: Component <*> is in the unavailable state (HWID=<*>)',
    weight: 4,
    render: (r) =>
      `Component State Change: Component \\042alt${int(r, 0, 1)}\\042 is in the unavailable state (HWID=${int(r, 1000, 9999)})`,
  },
  {
    event: 'PSU status ( <*> )',
    weight: 3,
    render: (r) => `PSU status ( ${Array.from({ length: int(r, 2, 4) }, () => pick(r, ['on', 'off'])).join(' ')} )`,
  },
  {
    event: 'risBoot command <*>',
    weight: 2,
    render: (r) => `risBoot command node-${pick(r, ['D', 'E'])}${int(r, 1, 40)}`,
  },
];

/** Daemons of a Linux host, named in start-up and shutdown lines. */
const DAEMONS = [
  'cupsd',
  'syslogd',
  'klogd',
  'irqbalance',
  'portmap',
  'nfslock',
  'rpcidmapd',
  'sshd',
  'xinetd',
  'ntpd',
  'sendmail',
  'gpm',
  'crond',
  'xfs',
  'atd',
];

/** A Linux host's syslog: daemons by name, sessions of a handful of users, lookups by host name. */
const LINUX: EventSpec[] = [
  { event: '<*> startup succeeded', weight: 5, render: (r) => `${zipf(r, DAEMONS)} startup succeeded` },
  { event: '<*> shutdown succeeded', weight: 3, render: (r) => `${zipf(r, DAEMONS)} shutdown succeeded` },
  {
    event: 'session opened for user <*> by (uid=<*>)',
    weight: 6,
    render: (r) =>
      `session opened for user ${zipf(r, ['root', 'cyrus', 'news', 'test'])} by (uid=${pick(r, [0, 0, 0, 500])})`,
  },
  {
    event: 'session closed for user <*>',
    weight: 6,
    render: (r) => `session closed for user ${zipf(r, ['root', 'cyrus', 'news', 'test'])}`,
  },
  {
    event: 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=<*> user=<*>',
    weight: 4,
    render: (r) =>
      `authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=${HOSTS(r) || ip(r)}  user=${zipf(r, ['root', 'test', 'news', 'guest', 'cyrus', 'admin', 'operator'])}`,
  },
  {
    event: 'connection from <*> (<*>) at <*>',
    weight: 4,
    render: (r) =>
      `connection from ${ip(r)} (${pick(r, [`${int(r, 1, 255)}-${int(r, 1, 255)}-${int(r, 1, 255)}.dsl.${letters(r, 6)}.net`, '', `${letters(r, 7)}.example.org`])}) at ${WHEN(r)}`,
  },
  {
    event: 'Authentication failed from <*> (<*>): Permission denied in replay cache code',
    weight: 2,
    render: (r) => {
      const a = ip(r);
      return `Authentication failed from ${a} (${a}): Permission denied in replay cache code`;
    },
  },
];

/** The systems by name. */
export const SYNTHETIC_SYSTEMS: Readonly<Record<string, readonly EventSpec[]>> = {
  sshd: SSHD,
  healthapp: HEALTH,
  syslog: SYSLOG,
  orchestrator: ORCHESTRATOR,
  service: SERVICE,
  proxy: PROXY,
  phone: PHONE,
  servicing: SERVICING,
  cluster: CLUSTER,
  linux: LINUX,
};

/** `lines` lines of one synthetic system, events drawn by weight. Deterministic for a seed. */
export function generateSyntheticLogs(system: string, opts: { seed: number; lines: number }): LabelledLine[] {
  const events = SYNTHETIC_SYSTEMS[system];
  if (!events) throw new Error(`unknown synthetic system ${system}`);
  const r = mulberry32(opts.seed);
  const total = events.reduce((s, e) => s + e.weight, 0);
  const out: LabelledLine[] = [];
  for (let i = 0; i < opts.lines; i++) {
    let u = r() * total;
    let e = events[0];
    for (const x of events) {
      u -= x.weight;
      if (u <= 0) {
        e = x;
        break;
      }
    }
    out.push({ message: e.render(r), event: e.event });
  }
  return out;
}
