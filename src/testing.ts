/**
 * Helpers for tests in a consumer's repo: `synthToMemory` for snapshot tests, and (from
 * `synth up`'s runtime) `startLocalCluster` for integration tests against real servers.
 * @packageDocumentation
 */
export { synthToMemory } from './writer/synthesize.js';
export { startLocalCluster } from './testing-local.js';
export type * from './testing-local.js';
// Installs the rules behind Cluster.validate(), which synthToMemory and startLocalCluster call.
import './validators/validate.js';
