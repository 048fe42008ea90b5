import * as z from 'zod';
import { isSecretRef, type SecretRef } from './secret.js';

// Field schemas shared by the builders. Every string that can reach a generated file is
// constrained here, so no newline, NUL or quote ever needs escaping downstream (a newline in an
// environment variable could otherwise inject a pg_hba line).

/** A service/host name: a DNS label, as compose service names and construct ids must be. */
export const dnsLabel = z
  .string()
  .regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'must be a DNS label: lower-case letters, digits and hyphens, starting with a letter, at most 63 characters',
  });

/** A PostgreSQL role or database name that needs no quoting anywhere (SQL, conninfo, hba, shell). */
export const sqlName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, {
    message: 'must be lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters',
  });

export const port = z.number().int().min(1).max(65535);

/**
 * Text written into a file verbatim (image names, sizes): printable, no quotes, no control
 * characters, and none of the characters YAML 1.1 parsers (docker-compose's PyYAML) read as a
 * line break: NEL (U+0085), LINE SEPARATOR (U+2028), PARAGRAPH SEPARATOR (U+2029).
 */
export const configText = z
  .string()
  .min(1)
  .regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029'"`$\\]+$/, {
    message: 'must not contain control characters (newline, NUL, U+0085), line or paragraph separators (U+2028, U+2029), quotes, backslashes, backticks or $',
  });

export const secretRef = z.custom<SecretRef>(isSecretRef, {
  message: "passwords are never literals: pass secret('ENV_VAR_NAME') and set that variable in .env",
});

/** A PostgreSQL size such as '4GB', '512MB', or -1 for unlimited. */
export const pgSize = z.union([
  z.literal(-1),
  z.string().regex(/^\d+(kB|MB|GB|TB)$/, { message: "must be a size like '512MB' or '4GB' (units kB, MB, GB, TB)" }),
]);

const IPV4 = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}`;
export const ipv4 = z.string().regex(new RegExp(`^${IPV4}$`), { message: 'must be an IPv4 address such as 127.0.0.1' });
export const ipv4Cidr = z
  .string()
  .regex(new RegExp(`^${IPV4}/(?:3[0-2]|[12]?\\d)$`), { message: 'must be an IPv4 CIDR such as 10.8.0.0/24' });

export const settingValue = z.union([z.string(), z.number(), z.boolean()]);
/**
 * Server parameters by name. PostgreSQL matches names case-insensitively (`TimeZone` is
 * `timezone`), so two spellings of one name are refused and every name is kept in lower case, the
 * one spelling postgresql.conf gets and every later check sees.
 */
export const settingsRecord = z
  .record(z.string(), settingValue)
  .superRefine((settings, ctx) => {
    const seen = new Map<string, string>();
    for (const name of Object.keys(settings)) {
      const first = seen.get(name.toLowerCase());
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `"${first}" and "${name}" name the same parameter (PostgreSQL ignores case in parameter names); keep one of them`,
        });
      }
      seen.set(name.toLowerCase(), name);
    }
  })
  .transform((settings) => Object.fromEntries(Object.entries(settings).map(([name, value]) => [name.toLowerCase(), value])));
