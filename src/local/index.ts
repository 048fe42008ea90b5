// `synth up` / `down` / `status`: the cluster's rendered files run with the real binaries on
// 127.0.0.1, without Docker.
export { upLocal, openLocalRuntime, startOneService, stopOneService, stopServiceByHand, type UpOptions, type UpResult } from './up.js';
export { promoteNode, rejoinNode, switchover } from './failover.js';
export { downLocal, downSpec, type DownOptions, type DownResult } from './down.js';
export { localStatus, type LocalStatus, type ServiceStatus } from './status.js';
export { localUrls, postgresUrl, appRoleFor, mainPrimary, haproxyStatsUrl, type LocalUrls } from './urls.js';
export { resolveLocalSpec, type LocalSpecOptions } from './local-spec.js';
export { localLayout, type LocalLayout } from './layout.js';
export { LocalRuntime } from './runtime.js';
export { formatSeconds, type ProgressSink } from './progress.js';
export type { LocalSecrets, SecretSource } from './secrets.js';
export type { Toolchain } from './toolchain.js';
