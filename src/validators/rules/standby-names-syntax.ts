import { quoteStandbyName } from '../../model/resolve/index.js';
import { defineRule } from '../rule.js';
import { primaries, replicasOf } from '../helpers/spec-helpers.js';
import { parseStandbyNames } from '../../model/standby-names.js';
import { forbiddenCharacter } from '../helpers/text-checks.js';

export const standbyNamesSyntax = defineRule({
  code: 'PGS050',
  severity: 'error',
  title: "synchronousStandbyNames is valid synchronous_standby_names syntax with n > 0",
  why: 'PostgreSQL accepts only FIRST n (a, b, …), ANY n (a, b, …), the legacy n (a, b, …), a bare list a, b (= FIRST 1) or *, with n > 0; names that are not plain identifiers (a hyphen, as in pg-replica1) must be double-quoted. Anything else stops the server at start: invalid value for parameter "synchronous_standby_names" (DETAIL "syntax error at or near "-"" or "number of synchronous standbys (0) must be greater than zero").',
  fix: 'write FIRST n ("name", …) or ANY n ("name", …) with n ≥ 1 and double-quoted names',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, synchronousStandbyNames: 'FIRST 1 (pg-replica1)' })",
  check(spec) {
    return primaries(spec).flatMap((p) => {
      const text = p.primary?.synchronousStandbyNames ?? '';
      // Characters that cannot be written at all are PGS070's.
      if (!p.primary?.synchronousStandbyNamesExplicit || forbiddenCharacter(text)) return [];
      const parsed = parseStandbyNames(text);
      if (parsed.ok) return [];
      const names = replicasOf(spec, p.id).map((r) => quoteStandbyName(r.replica?.applicationName ?? r.id));
      const example = names.length ? `'ANY 1 (${names.join(', ')})'` : `'ANY 1 ("pg-replica1", "pg-replica2")'`;
      return [
        {
          node: p,
          field: 'synchronousStandbyNames',
          message: `synchronousStandbyNames '${text}' is not valid: ${parsed.error}`,
          fix: `write it as FIRST n (…) or ANY n (…) with double-quoted names, e.g. synchronousStandbyNames: ${example}`,
        },
      ];
    });
  },
});
