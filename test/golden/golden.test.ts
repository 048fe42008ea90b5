import { describe, expect, it } from 'vitest';
import { synthToMemory } from '../../src/index.js';
import { fixtureNames, loadFixture, readGolden } from './fixtures.js';

// The generated files are the product: any change to them shows up here as a diff to review,
// then `npm run fixtures` records it on purpose.
describe.each(fixtureNames())('fixture %s', (name) => {
  it('synthesizes exactly its golden tree', async () => {
    const actual = synthToMemory(await loadFixture(name));
    const golden = readGolden(name);
    expect(Object.keys(actual)).toEqual(Object.keys(golden));
    for (const path of Object.keys(golden)) {
      expect(actual[path], `${name}/cluster/${path} differs: run npm run fixtures if the change is intended`).toBe(golden[path]);
    }
  });
});

it('has the five example fixtures, the README example and an every-option fixture', () => {
  expect(fixtureNames().length).toBeGreaterThanOrEqual(7);
});
