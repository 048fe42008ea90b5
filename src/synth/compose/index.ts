export { renderComposeYaml } from './compose-yaml.js';
export { renderEnvExample } from './env-example.js';
export { renderGitignore } from './gitignore.js';
export { composeFileLayout, INITDB_SCRIPT, serviceMounts, type ComposeMount } from './layout.js';
