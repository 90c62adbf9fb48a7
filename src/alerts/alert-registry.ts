/**
 * What the correlator knows of each alert, by fingerprint: its latest episode (with its signature),
 * whether that episode still fires, the group it lives in (its home) and the group it opened. The
 * registry is the only writer of a group's `firing` set, so firing state moves with the home.
 */
import { InputError } from '../errors.js';
import { type AlertGroupState, type SignedAlert, episodeKey } from './alert-group.js';

/** Alerts by fingerprint and the groups they belong to. Not a group store: groups live in GroupLifecycle. */
export class AlertRegistry {
  private readonly alerts = new Map<string, SignedAlert>();
  /** Alerts whose latest episode is firing. */
  private readonly firing = new Set<string>();
  /** The group each alert was last placed in. */
  private readonly home = new Map<string, AlertGroupState>();
  /** The group each alert opened (a candidate for reopening while it holds only that alert). */
  private readonly lone = new Map<string, AlertGroupState>();

  /** Records `a` as the alert's latest episode, firing. */
  fire(a: SignedAlert): void {
    this.firing.add(a.fingerprint);
    this.alerts.set(a.fingerprint, a);
  }

  /** The alert's latest episode, or undefined. */
  get(fingerprint: string): SignedAlert | undefined {
    return this.alerts.get(fingerprint);
  }

  /** The alert's latest episode; throws InputError (at `where`) for an unknown alert. */
  known(fingerprint: string, where: string): SignedAlert {
    const a = this.alerts.get(fingerprint);
    if (!a) throw new InputError(where, `unknown alert ${fingerprint}`);
    return a;
  }

  /** Whether the alert's latest episode is the one starting at `startsAt`, and still fires. */
  firesSince(fingerprint: string, startsAt: number): boolean {
    return this.firing.has(fingerprint) && this.alerts.get(fingerprint)?.startsAt === startsAt;
  }

  /** The group the alert was last placed in, or undefined. */
  homeOf(fingerprint: string): AlertGroupState | undefined {
    return this.home.get(fingerprint);
  }

  /** The group the alert opened, or undefined. */
  groupOpenedBy(fingerprint: string): AlertGroupState | undefined {
    return this.lone.get(fingerprint);
  }

  /** Notes that the alert opened `group`. */
  noteOpened(fingerprint: string, group: AlertGroupState): void {
    this.lone.set(fingerprint, group);
  }

  /** Makes `group` the alert's home; its firing state moves with it. */
  place(fingerprint: string, group: AlertGroupState): void {
    const old = this.home.get(fingerprint);
    if (old && old !== group) old.firing.delete(fingerprint);
    this.home.set(fingerprint, group);
    if (this.firing.has(fingerprint)) group.firing.add(fingerprint);
  }

  /** Notes that the alert's latest episode resolved; returns its home when no alert of that fires any more. */
  resolve(fingerprint: string): AlertGroupState | undefined {
    this.firing.delete(fingerprint);
    const group = this.home.get(fingerprint);
    if (!group || !group.firing.delete(fingerprint) || group.firing.size > 0) return undefined;
    return group;
  }

  /**
   * Drops references to groups that no longer `exist`, and the alerts neither `kept` (a member of a
   * group still kept) nor firing. Returns the dropped alerts' fingerprints.
   */
  forget(exists: (g: AlertGroupState) => boolean, kept: ReadonlySet<string>): string[] {
    const dropped: string[] = [];
    for (const fp of [...this.alerts.keys()]) {
      const home = this.home.get(fp);
      if (home && !exists(home)) this.home.delete(fp);
      const lone = this.lone.get(fp);
      if (lone && !exists(lone)) this.lone.delete(fp);
      if (kept.has(fp) || this.firing.has(fp)) continue;
      this.home.delete(fp);
      this.lone.delete(fp);
      this.alerts.delete(fp);
      dropped.push(fp);
    }
    return dropped;
  }

  /**
   * Breaks of the registry's own bookkeeping, as messages: every alert's home exists, lists it and
   * holds its latest episode; firing alerts fire in their home; opened groups exist. O(alerts).
   */
  selfCheck(exists: (g: AlertGroupState) => boolean): string[] {
    const errs: string[] = [];
    for (const [fp, h] of this.home) {
      if (!exists(h) || h.mergedInto !== null) errs.push(`home ${h.id} of ${fp} is gone or merged`);
      else if (!h.members.has(fp)) errs.push(`home ${h.id} of ${fp} does not list it`);
      else if (!h.episodes.has(episodeKey(fp, this.alerts.get(fp)?.startsAt ?? NaN)))
        errs.push(`home ${h.id} of ${fp} does not hold its latest episode`);
    }
    for (const fp of this.firing)
      if (!this.home.get(fp)?.firing.has(fp)) errs.push(`firing ${fp} is not firing in its home`);
    for (const [fp, g] of this.lone) if (!exists(g)) errs.push(`lone item of ${fp} (${g.id}) is gone`);
    return errs;
  }

  /** Breaks in one group's references to alerts: it fires only alerts it is home to, and lists only known alerts. */
  selfCheckGroup(group: AlertGroupState): string[] {
    const errs: string[] = [];
    for (const fp of group.firing)
      if (this.home.get(fp) !== group || !this.firing.has(fp))
        errs.push(`${group.id} holds firing ${fp} it is not home to`);
    for (const fp of group.members) if (!this.alerts.has(fp)) errs.push(`${group.id} lists unknown alert ${fp}`);
    return errs;
  }
}
