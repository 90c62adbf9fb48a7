import type graphology from 'graphology';
import type { EdgeType, NodeLabel, Props } from '../../model/graph.js';

/** What the embedded graph keeps on a node and on an edge (times are ms since epoch). */
export type NodeAttrs = { label: NodeLabel; props: Props; firstSeen: number; lastSeen: number };
export type EdgeAttrs = { type: EdgeType; props: Props; firstSeen: number; lastSeen: number };

/** The embedded store's graphology graph: directed, parallel edges of different types allowed. */
export type MemoryGraph = graphology.MultiDirectedGraph<NodeAttrs, EdgeAttrs>;
