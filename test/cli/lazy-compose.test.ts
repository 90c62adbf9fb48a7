import { describe, expect, it } from 'vitest';
import * as compose from '../../app/compose.js';
import * as lazy from '../../app/cli/lazy-compose.js';

describe('the lazy stand-ins for app/compose.ts', () => {
  it('offer the same roles as the composition root', () => {
    expect(lazy.ROLES).toEqual(compose.ROLES);
  });
});
