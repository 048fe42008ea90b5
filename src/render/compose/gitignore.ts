import type { ClusterSpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';
import { SECRETS_DIR } from './secrets.js';

/** .gitignore of the output folder: the filled-in .env (or the secrets folder) holds every password of the cluster. */
export function renderGitignore(spec: ClusterSpec): string {
  const secrets = spec.secretFiles ? `${SECRETS_DIR}/\n` : '';
  return `${markerComment('#')}\n# The passwords: only .env.example, with empty values, belongs in git.\n.env\n${secrets}`;
}
