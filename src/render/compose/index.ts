export { CONFIG_HASH_LABEL, renderComposeYaml } from './compose-yaml.js';
export { configHashes } from './config-hash.js';
export { renderEnvExample } from './env-example.js';
export { renderGitignore } from './gitignore.js';
export { composeFileLayout, serviceMounts, type ComposeMount } from './layout.js';
