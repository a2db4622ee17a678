import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timeOrderedUuid } from './ids.js';

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID with the RFC 9562 variant, carrying the time in its first 48 bits', () => {
    const at = Date.UTC(2026, 10, 23, 3, 0, 0, 123);
    const id = timeOrderedUuid(at);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
  });

  it('sorts by creation time and does not repeat', () => {
    const ids = [timeOrderedUuid(1_000), timeOrderedUuid(2_000), timeOrderedUuid(1_000_000_000_000)];
    assert.deepEqual([...ids].sort(), ids);
    const many = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid()));
    assert.equal(many.size, 10_000);
  });
});
