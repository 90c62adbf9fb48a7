/**
 * Alertmanager's alert fingerprint, reproduced bit for bit: FNV-1a 64 over the label set sorted by
 * name, each name and value followed by the separator byte 0xff (prometheus/common
 * `model.labelSetToFingerprint`), printed as 16 lower-case hex digits.
 * Only labels go in — annotations and timestamps change between notifications, labels do not.
 */

const SEPARATOR = 0xff;
const utf8 = new TextEncoder();

/** Go sorts label names by their UTF-8 bytes; JS `sort()` compares UTF-16 units, which differs above U+FFFF. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** 64-bit FNV-1a state as four 16-bit limbs (lowest first) so the multiply stays exact in doubles. */
class Fnv64 {
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  addByte(b: number): void {
    this.h0 ^= b;
    // h * 0x100000001b3 = h * 0x1b3 + (h << 40), truncated to 64 bits.
    const t0 = this.h0 * 0x1b3;
    let t1 = this.h1 * 0x1b3;
    let t2 = this.h2 * 0x1b3 + (this.h0 << 8);
    let t3 = this.h3 * 0x1b3 + ((this.h1 << 8) & 0xffff);
    t1 += t0 >>> 16;
    t2 += Math.floor(t1 / 0x10000);
    t3 += Math.floor(t2 / 0x10000);
    this.h0 = t0 & 0xffff;
    this.h1 = t1 & 0xffff;
    this.h2 = t2 & 0xffff;
    this.h3 = t3 & 0xffff;
  }

  addString(s: string): void {
    for (const b of utf8.encode(s)) this.addByte(b);
  }

  hex(): string {
    return [this.h3, this.h2, this.h1, this.h0].map((x) => x.toString(16).padStart(4, '0')).join('');
  }
}

/**
 * The fingerprint Alertmanager would give an alert with these labels. Pure; independent of key
 * order. An empty label set yields FNV's offset basis, as in Go.
 */
export function alertFingerprint(labels: Readonly<Record<string, string>>): string {
  const h = new Fnv64();
  for (const name of Object.keys(labels).sort(compareUtf8)) {
    h.addString(name);
    h.addByte(SEPARATOR);
    h.addString(labels[name]);
    h.addByte(SEPARATOR);
  }
  return h.hex();
}
