// The @ts-expect-error lines are checked by `tsc --noEmit -p .` (part of `npm test`): each must stay an error.
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { OUTPUT, renderSettingsTypes } from '../../scripts/gen-settings-types.js';
import type {
  PostgresSettings15, PostgresSettings16, PostgresSettings17, SettingsFor,
} from '../../src/settings/types.generated.js';
import { validateSettings } from '../../src/settings/validate.js';

describe('generated settings types', () => {
  it('are up to date with the committed catalogs', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(renderSettingsTypes());
  }, 60_000);

  it('type what users write, and what validateSettings accepts', () => {
    const settings: SettingsFor<17> = {
      shared_buffers: '1GB',
      work_mem: 65536,
      statement_timeout: '30s',
      fsync: 'on',
      jit: false,
      huge_pages: 'try',
      wal_compression: 'zstd',
      random_page_cost: 1.1,
      log_line_prefix: '%m [%p] ',
      'pg_stat_statements.max': 10000,
    };
    expect(validateSettings(17, settings)).toEqual([]);
    expectTypeOf<SettingsFor<16>>().toEqualTypeOf<PostgresSettings16>();
    expectTypeOf<PostgresSettings17['huge_pages']>().toEqualTypeOf<'off' | 'on' | 'try' | boolean | undefined>();
  });

  it('refuse typos, wrong types, controlled and other-major parameters', () => {
    const refused: SettingsFor<17>[] = [
      // @ts-expect-error misspelt
      { shared_bufers: '1GB' },
      // @ts-expect-error a unit the server does not know
      { work_mem: '64mb' },
      // @ts-expect-error not a boolean
      { fsync: 'maybe' },
      // @ts-expect-error not in the enum
      { huge_pages: 'always' },
      // @ts-expect-error owned by the walLevel option
      { wal_level: 'replica' },
      // @ts-expect-error removed in 16
      { force_parallel_mode: 'on' },
    ];
    const on15: PostgresSettings15 = { force_parallel_mode: 'on' };
    // @ts-expect-error only from 16
    const notOn15: PostgresSettings15 = { debug_parallel_query: 'on' };
    expect([refused.length, on15, notOn15]).toHaveLength(3);
  });
});
