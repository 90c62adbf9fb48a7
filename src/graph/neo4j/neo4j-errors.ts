import { Neo4jError } from 'neo4j-driver';
import { RootgraphError } from '../../errors.js';

/** Maps a driver error to rootgraph's codes, so callers decide retry on `code`, not on driver internals. */
export function toRootgraphError(err: unknown): unknown {
  if (err instanceof RootgraphError || !(err instanceof Neo4jError)) return err;
  const code = err.code ?? '';
  if (code.includes('TransactionTimedOut') || code.includes('Transaction.Terminated')) {
    return new RootgraphError('CYPHER_TIMEOUT', 'The query ran past its time limit and was stopped.', {
      hint: 'Narrow the MATCH, add a LIMIT, or ask for a longer limit.',
      cause: err,
    });
  }
  if (code.includes('AccessMode') || code.includes('ForbiddenDueToTransactionType')) {
    return new RootgraphError(
      'CYPHER_WRITE_REFUSED',
      'Only read queries are allowed here; the database refused a write.',
      { cause: err },
    );
  }
  if (code.startsWith('Neo.ClientError.Statement') || code.startsWith('Neo.ClientError.Procedure')) {
    return new RootgraphError('CYPHER_INVALID', `Neo4j rejected the query: ${err.message.split('\n')[0]}`, {
      cause: err,
    });
  }
  if (err.retriable || code === 'ServiceUnavailable' || code === 'SessionExpired') {
    return new RootgraphError('UNAVAILABLE', `Neo4j is unavailable: ${err.message}`, {
      hint: 'The work will be retried; check that Neo4j is running.',
      cause: err,
    });
  }
  return err;
}
