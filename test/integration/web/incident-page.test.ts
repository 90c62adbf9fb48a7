/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../app/compose.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { withSignature } from '../../../src/model/incident-page-url.js';
import { shortName } from '../../../src/model/short-name.js';
import { demoIncident } from './demo-incident.js';

// Debian's chromium, which `scripts/services.sh up` installs; puppeteer-core downloads no browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM)
  console.warn(
    `SKIPPED the incident page browser test: no Chromium at ${CHROMIUM}. Run "scripts/services.sh up chromium" (or set CHROMIUM_PATH).`,
  );

const TOKEN = 'web-test-token-0123456789';
// The README's picture is refreshed on request (ROOTGRAPH_UPDATE_DOCS=1); a plain run leaves the tree clean.
const SCREENSHOT = resolve(process.env.ROOTGRAPH_UPDATE_DOCS ? 'docs/incident-page.png' : 'var/incident-page.png');

describe.skipIf(!HAVE_CHROMIUM)("the demo incident's web page, in Chromium", () => {
  let runtime: Runtime;
  let incident: Incident;
  let browser: Browser;
  let profile: string;
  const signed = (path: string) =>
    `${runtime.addresses.web}${withSignature(path, { secret: TOKEN, expiresAtS: Math.floor(Date.now() / 1000) + 3_600 })}`;

  beforeAll(async () => {
    ({ runtime, incident } = await demoIncident({ seed: 3, fault: 'cpu-hog', target: 'redis-cart', token: TOKEN }));
    profile = await mkdtemp(join(tmpdir(), 'rg-chromium-'));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profile,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('refuses a request with neither the bearer token nor a valid signature', async () => {
    const path = `/incidents/${incident.number}`;
    expect((await fetch(`${runtime.addresses.web}${path}`)).status).toBe(401);
    const tampered = signed(path).replace(`/incidents/${incident.number}?`, `/incidents/${incident.number + 1}?`);
    expect((await fetch(tampered)).status).toBe(401);
    const bearer = await fetch(`${runtime.addresses.web}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
  });

  it('draws the top suspect, the path, the sparklines and the alerts; "root cause" stores feedback', async () => {
    const top = [...incident.suspects].sort((a, b) => a.rank - b.rank)[0];
    expect(top, 'the demo incident has a diagnosis').toBeDefined();
    const topName = shortName(top.entity);
    const path = top.explanation.path ?? [];
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 900 });
    const res = await page.goto(signed(`/incidents/${incident.number}`), { waitUntil: 'load' });
    expect(res?.status()).toBe(200);

    // The top suspect: a hexagon labelled "#1 suspect" on the entity the RCA ranked first.
    const suspect = await page.$eval('svg.topology .node.suspect[data-rank="1"]', (el) => ({
      uid: el.getAttribute('data-uid'),
      label: el.getAttribute('aria-label'),
      shape: el.querySelector('.shape')?.tagName,
    }));
    expect(suspect.uid).toBe(top.entity);
    expect(suspect.label).toContain(`${topName} (`);
    expect(suspect.label).toContain('#1 suspect');
    expect(suspect.shape).toBe('polygon');

    // The propagation path, from the top suspect to the alarm's entry: every step drawn as a path edge,
    // and no other edge (a suspect that is the entry itself has a one-entity path and no step).
    expect(path[0]).toBe(top.entity);
    expect(path[path.length - 1]).toBe(incident.entry);
    const steps = await page.$$eval('svg.topology line.edge.on-path', (els) =>
      els.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-to')].sort().join(' ')),
    );
    expect(new Set(steps).size).toBe(path.length - 1);
    for (let i = 1; i < path.length; i++) expect(steps).toContain([path[i - 1], path[i]].sort().join(' '));
    const pathText = await page.$eval('p.path', (el) => el.textContent ?? '');
    expect(pathText).toContain(topName);

    // Sparklines of the top suspect's metrics, with samples, the baseline band and the start marked.
    const sparks = await page.$$eval('svg.sparkline:not(.empty)', (els) =>
      els.map((e) => ({
        entity: e.getAttribute('data-entity'),
        metric: e.getAttribute('data-metric'),
        points: (e.querySelector('polyline')?.getAttribute('points') ?? '').split(' ').length,
        band: e.querySelector('rect.baseline-band') !== null,
        start: e.querySelector('line.fault-start') !== null,
      })),
    );
    const topSparks = sparks.filter((s) => s.entity === topName);
    expect(topSparks.length).toBeGreaterThan(0);
    expect(topSparks.map((s) => s.metric)).toContain(top.explanation.metrics?.[0]?.metric);
    for (const s of topSparks) expect(s).toMatchObject({ band: true, start: true });
    expect(Math.max(...topSparks.map((s) => s.points))).toBeGreaterThan(10);

    // The alerts: the timeline lists the incident's alerts, and the entities they fired on are marked.
    const alertNames = await page.$$eval('svg.alert-timeline g.alert', (els) =>
      els.map((e) => e.getAttribute('data-name')),
    );
    expect(alertNames.length).toBe(Math.min(20, incident.alertFingerprints.length));
    const titleNames = incident.title.split(' on ')[0].split(', ');
    for (const n of titleNames) expect(alertNames).toContain(n);
    const alerting = await page.$$eval('svg.topology .node.alerting', (els) =>
      els.map((e) => e.getAttribute('aria-label')),
    );
    expect(alerting.length).toBeGreaterThan(0);
    for (const label of alerting) expect(label).toContain('⚠ alert');

    // Keyboard: entities are links in tab order, and the arrow keys move between them.
    const focusedNode = () =>
      page.evaluate(() =>
        document.activeElement?.closest('svg.topology') ? document.activeElement.getAttribute('data-uid') : null,
      );
    let first: string | null = null;
    for (let tabs = 0; tabs < 10 && !first; tabs++) {
      await page.keyboard.press('Tab');
      first = await focusedNode();
    }
    await page.keyboard.press('ArrowRight');
    const second = await focusedNode();
    expect(first).toBeTruthy();
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    await page.evaluate(() => (document.activeElement as SVGElement | null)?.blur());

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Feedback through the same FeedbackSink as Slack: the feedback job stores it in the graph.
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.click(`button[aria-label="root cause: ${topName}"]`),
    ]);
    expect(await page.$eval('p.notice', (el) => el.textContent ?? '')).toMatch(/learns/);
    await runtime.runner.drained();
    const stored = await runtime.graph.findNodes({ label: 'Feedback', where: { incident: incident.number } });
    expect(stored.map((f) => ({ entity: f.props.entity, verdict: f.props.verdict, source: f.props.source }))).toEqual([
      { entity: top.entity, verdict: 'root-cause', source: 'button' },
    ]);
    await page.reload({ waitUntil: 'load' });
    expect(await page.$$eval('.feedback-entry', (els) => els.map((e) => e.textContent))).toEqual([
      `${topName}: root-cause (by web)`,
    ]);

    // A phone's width: nothing but the graph's own scroller is wider than the screen.
    await page.setViewport({ width: 390, height: 844 });
    await page.reload({ waitUntil: 'load' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it("shows the incident list and an entity's neighbourhood", async () => {
    const page = await browser.newPage();
    await page.goto(signed('/incidents'), { waitUntil: 'load' });
    const links = await page.$$eval('table a', (els) => els.map((e) => e.textContent));
    expect(links).toContain(`#${incident.number}`);
    // Links on a signed page are signed too, so following them works without a header.
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(`table a`)]);
    expect(await page.$eval('h1', (el) => el.textContent ?? '')).toMatch(/^Incident \d+/);
    await page.goto(signed('/graph?around=cartservice&hops=2'), { waitUntil: 'load' });
    const names = await page.$$eval('svg.topology .node', (els) => els.map((e) => e.getAttribute('data-name')));
    expect(names).toContain('cartservice');
    expect(names).toContain('frontend');
    await page.close();
  });
});
