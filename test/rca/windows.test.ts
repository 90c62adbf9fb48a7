import { describe, expect, it } from 'vitest';
import { splitWindow } from '../../src/rca/windows.js';

const DAY = 86_400;

describe('window split', () => {
  it('with another day of normal operation, the baseline is the incident time of day on that day', () => {
    // A normal day at 5-min steps, then an incident at 09:00 two days later (rows 08:00 … 11:00).
    const normalDay = Array.from({ length: 288 }, (_, i) => i * 300);
    const start = 2 * DAY + 9 * 3600;
    const incident = Array.from({ length: 37 }, (_, i) => start - 3600 + i * 300);
    const ts = Float64Array.from([...normalDay, ...incident]);
    const s = splitWindow(ts, start);
    expect(s.seasonal).toBe(true);
    const tod = (t: number) => (t % DAY) / 3600;
    const normalHours = [...s.normal].map((i) => tod(ts[i]));
    // 09:00 ± 2 h before the window and to 2 h after its hour: 07:00 … 12:00, on either day.
    expect(Math.min(...normalHours)).toBeGreaterThanOrEqual(7);
    expect(Math.max(...normalHours)).toBeLessThanOrEqual(12);
    expect([...s.normal].some((i) => ts[i] < DAY)).toBe(true);
    expect(s.anomalous.length).toBe(13);
  });

  it('without another day the whole normal history is the baseline', () => {
    const ts = Float64Array.from({ length: 40 }, (_, i) => i * 60);
    const s = splitWindow(ts, 30 * 60);
    expect(s.seasonal).toBe(false);
    // Rows up to the guard before the start (a quarter of the 30 min of history: 7.5 min) are normal.
    expect(s.normal.length).toBe(23);
  });
});
