import type { NodeRecord } from '../model/graph.js';
import { shortName } from '../model/short-name.js';

/** A node's entity name: its `name` property, else the short name of its uid. */
export function entityName(n: Pick<NodeRecord, 'uid' | 'props'>): string {
  if (typeof n.props.name === 'string' && n.props.name) return n.props.name;
  return shortName(n.uid);
}
