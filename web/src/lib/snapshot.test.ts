/** The web reads the snapshot shape the pipeline writes. */
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_SCHEMA as WRITTEN } from '../../../functions/domain/screens.ts';
import { isCurrentSnapshot, SNAPSHOT_SCHEMA } from './snapshot';

describe('snapshot shape', () => {
  it('is the one the pipeline writes, and an older one is not current', () => {
    expect(SNAPSHOT_SCHEMA).toBe(WRITTEN);
    expect(isCurrentSnapshot({ schema: WRITTEN })).toBe(true);
    expect(isCurrentSnapshot({ workload: {} })).toBe(false);
    expect(isCurrentSnapshot(null)).toBe(false);
  });
});
