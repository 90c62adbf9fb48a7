import { describe, expect, it } from 'vitest';
import { plain } from '../../bots/console/render-text.js';

describe('card text for a terminal', () => {
  it('drops bold markers and keeps the <*> wildcards of a log template', () => {
    expect(plain('*Top suspect* cartservice')).toBe('Top suspect cartservice');
    expect(plain('log `failed to call <*>: code = Internal desc = <*> returned an error (request_id=<*>)`')).toBe(
      'log `failed to call <*>: code = Internal desc = <*> returned an error (request_id=<*>)`',
    );
    expect(plain('ask <@U123|alice> or <!subteam^S9|oncall>')).toBe('ask @U123 or @S9');
  });
});
