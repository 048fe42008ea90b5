// Property: whatever validateSettings accepts, written with confValue (what renders postgresql.conf), the real server of that
// major accepts too; and a sample of what it refuses, the server refuses as well.
// Values come from a seeded generator, so a failure reproduces; accepted values are checked many
// per postgresql.conf (one `postgres -C` run each), refused ones one file per kind of error.
import { describe, expect, it } from 'vitest';
import { loadCatalog, type SettingSpec } from '../../src/settings/catalog.js';
import { CONTROLLED_SETTINGS, validateSettings, type SettingValue } from '../../src/settings/validate.js';
import { confValue } from '../../src/render/conf-writer.js';
import { baseUnitOf, MEMORY_UNITS, TIME_UNITS, unitsOf } from '../../src/settings/units.js';
import { checkPostgresqlConf } from '../support/postgres-check.js';

const MAJORS = [15, 16, 17] as const;
// Other seeds and more rounds explore further: PGSYNTH_PROPERTY_SEED=7 PGSYNTH_PROPERTY_ROUNDS=50 npx vitest run …
const ACCEPTED_ROUNDS = Number(process.env.PGSYNTH_PROPERTY_ROUNDS ?? 6);
const SEED = Number(process.env.PGSYNTH_PROPERTY_SEED ?? 20240613);

/** mulberry32: a small deterministic PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const randomCase = (rng: Rng, text: string) => [...text].map((c) => (rng() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');

const BOOLEAN_FORMS: SettingValue[] = [
  true, false, 1, 0, 'on', 'off', 'true', 'false', 'yes', 'no', '1', '0', 't', 'f', 'y', 'n', 'of', 'tr', 'fal', 'ye', 'ON', 'Off', 'TRUE',
];

const UNIT_SIZES: Record<string, number> = {
  B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4,
  us: 1, ms: 1e3, s: 1e6, min: 60e6, h: 3600e6, d: 86400e6,
};

function settable(spec: SettingSpec): boolean {
  return spec.context !== 'internal' && !Object.hasOwn(CONTROLLED_SETTINGS, spec.name.toLowerCase());
}

/** A base-unit amount between the bounds: the bounds themselves, small values, or log-uniform. */
function amount(rng: Rng, spec: SettingSpec): number {
  const min = spec.min!;
  const max = Math.min(spec.max!, 1e12);
  const roll = rng();
  let value: number;
  if (roll < 0.1) value = min;
  else if (roll < 0.2) value = max;
  else if (roll < 0.5) value = min + rng() * Math.min(100, max - min);
  else value = Math.max(min, Math.min(max, Math.exp(Math.log(Math.max(1, min)) + rng() * (Math.log(Math.max(2, max)) - Math.log(Math.max(1, min))))));
  return spec.type === 'integer' ? Math.round(value) : Number(value.toPrecision(1 + Math.floor(rng() * 8)));
}

function numericValue(rng: Rng, spec: SettingSpec): SettingValue {
  const value = amount(rng, spec);
  const base = baseUnitOf(spec.unit);
  const roll = rng();
  if (roll < 0.3) return value;
  if (roll < 0.45 || base === null) {
    if (spec.type === 'integer' && value >= 0 && roll < 0.4) return rng() < 0.5 ? `0x${value.toString(16)}` : `0${value.toString(8)}`;
    return `${pick(rng, ['', ' '])}${value}${pick(rng, ['', ' '])}`;
  }
  // The same amount in another unit, possibly fractional: exercises the server's rounding.
  const unit = pick(rng, unitsOf(base.family));
  const inUnit = (value * base.size) / UNIT_SIZES[unit]!;
  return `${Number(inUnit.toPrecision(1 + Math.floor(rng() * 10)))}${pick(rng, ['', ' '])}${unit}`;
}

function validValue(rng: Rng, spec: SettingSpec): SettingValue | undefined {
  switch (spec.type) {
    case 'bool': return pick(rng, BOOLEAN_FORMS);
    case 'enum': {
      const values = spec.enumValues!;
      if (values.includes('on') && values.includes('off') && rng() < 0.2) return rng() < 0.5;
      return randomCase(rng, pick(rng, values));
    }
    case 'string': return spec.bootValue ?? undefined; // check hooks judge strings; their defaults pass
    default: return numericValue(rng, spec);
  }
}

/** Whether the server's log names `name` among the refused lines (bonjour's check hook does not name it). */
function serverRefused(log: string, name: string): boolean {
  return log.includes(`"${name}"`) || (name === 'bonjour' && log.includes('Bonjour is not supported by this build'));
}

const conf = (major: 15 | 16 | 17, entries: [string, SettingValue][]) =>
  entries.map(([name, value]) => `${name} = ${confValue(value)}\n`).join('');

/** The refused values to try on a parameter, by the code validateSettings must give. */
function invalidValues(spec: SettingSpec): [code: string, value: SettingValue][] {
  const base = baseUnitOf(spec.unit);
  switch (spec.type) {
    case 'bool': return [['PGS302', 'maybe'], ['PGS302', 2]];
    case 'enum': return [['PGS303', 'no_such_value']];
    case 'string': return [];
    default: {
      const values: [string, SettingValue][] = [['PGS302', 'lots'], ['PGS302', true]];
      if (spec.min! > -2147483648) values.push(['PGS304', spec.min! - 1]);
      if (spec.max! < 1e300) values.push(['PGS304', spec.max! + 1]);
      if (base === null) values.push(['PGS302', '5MB']);
      else if (base.family === 'memory') values.push(['PGS305', '5mb'], ['PGS305', `5${pick(random(spec.name.length), TIME_UNITS)}`]);
      else values.push(['PGS305', '5 sec'], ['PGS305', `5${pick(random(spec.name.length), MEMORY_UNITS)}`]);
      return values;
    }
  }
}

describe.each(MAJORS)('PostgreSQL %i', (major) => {
  const specs = [...loadCatalog(major).settings.values()].filter(settable);

  it('accepts every generated value validateSettings accepts, and refuses the others', () => {
    const rng = random(SEED + major);
    let checked = 0;
    for (let round = 0; round < ACCEPTED_ROUNDS; round++) {
      const candidates: Record<string, SettingValue> = {};
      // Mostly values that rounding pushed past a bound: the server must refuse them as well.
      const refused: [string, SettingValue][] = [];
      for (const spec of specs) {
        const value = validValue(rng, spec);
        if (value === undefined) continue;
        if (validateSettings(major, { [spec.name]: value }).length === 0) candidates[spec.name] = value;
        else refused.push([spec.name, value]);
      }
      if (refused.length > 0) {
        const server = checkPostgresqlConf(conf(major, refused), major);
        const missed = refused.filter(([name]) => !serverRefused(server.message, name));
        expect(missed, `round ${round}: validateSettings refused these, the server accepted them`).toEqual([]);
      }
      // Settings can also be refused together (PGS311): leave those out, then the whole file must pass.
      for (const issue of validateSettings(major, candidates)) delete candidates[issue.name];
      expect(validateSettings(major, candidates)).toEqual([]);
      const accepted = Object.entries(candidates);
      const text = conf(major, accepted);
      const server = checkPostgresqlConf(text, major);
      expect(server.ok, `round ${round}:\n${server.message}\n--- postgresql.conf ---\n${text}`).toBe(true);
      checked += accepted.length;
    }
    expect(checked).toBeGreaterThan(ACCEPTED_ROUNDS * specs.length * 0.9);
  });

  it('refuses what validateSettings refuses for wrong types, ranges, enums and units', () => {
    const byCode = new Map<string, [string, SettingValue][]>();
    for (const spec of specs) {
      for (const [code, value] of invalidValues(spec)) {
        const issues = validateSettings(major, { [spec.name]: value });
        expect(issues.map((issue) => issue.code), `${spec.name} = ${JSON.stringify(value)}`).toEqual([code]);
        // One value per parameter and file: the server reports every bad line, naming the parameter.
        const key = `${code}:${invalidValues(spec).filter(([c]) => c === code).findIndex(([, v]) => v === value)}`;
        byCode.set(key, [...(byCode.get(key) ?? []), [spec.name, value]]);
      }
    }
    expect([...byCode.keys()].map((key) => key.split(':')[0])).toEqual(expect.arrayContaining(['PGS302', 'PGS303', 'PGS304', 'PGS305']));
    for (const [key, entries] of byCode) {
      const server = checkPostgresqlConf(conf(major, entries), major);
      expect(server.ok).toBe(false);
      const missed = entries.filter(([name]) => !serverRefused(server.message, name));
      expect(missed, `${key}: the server accepted these`).toEqual([]);
    }
  });

  it('round-trips random strings through quoting', () => {
    const rng = random(SEED * 3 + major);
    const alphabet = [..."ab '\\\"#=%$é😀\t,;"];
    for (let i = 0; i < 5; i++) {
      const text = Array.from({ length: 1 + Math.floor(rng() * 20) }, () => pick(rng, alphabet)).join('');
      expect(validateSettings(major, { log_line_prefix: text })).toEqual([]);
      expect(checkPostgresqlConf(conf(major, [['log_line_prefix', text]]), major, 'log_line_prefix')).toEqual({ ok: true, message: text });
    }
  });
});
