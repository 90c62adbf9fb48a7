/**
 * The case format's one column per replica: a metric named `<metric>@<replica>` (the part after `@`
 * names the pod). Written when entity names are unified, read wherever a replica's column must count
 * as its metric (counter rates, a service's load). Pure.
 */

/** A column's metric and replica; `replica` is undefined for a column of the whole entity. */
export function splitReplica(column: string): { metric: string; replica: string | undefined } {
  const at = column.indexOf('@');
  return at < 0
    ? { metric: column, replica: undefined }
    : { metric: column.slice(0, at), replica: column.slice(at + 1) };
}

/** The column name of `metric` for `replica` (the metric alone when there is none). */
export function replicaColumn(metric: string, replica: string | undefined): string {
  return replica === undefined ? metric : `${metric}@${replica}`;
}
