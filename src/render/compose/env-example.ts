import type { ClusterSpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';
import { SECRETS_DIR } from './secrets.js';

/**
 * .env.example: the compose project name and every password the cluster reads, empty, under
 * what it is for. Copy it to .env
 * (which git ignores) and fill it in; docker-compose reads .env from the compose file's folder.
 */
export function renderEnvExample(spec: ClusterSpec): string {
  const header = spec.secretFiles
    ? [markerComment('#'), `# Cluster ${spec.id}: copy this file to .env, which names the compose project.`].join('\n')
    : [
        markerComment('#'),
        `# Passwords of cluster ${spec.id}. Copy this file to .env, fill in every value, never commit .env.`,
        '# Keep $ out of the values: compose may expand it as a variable reference.',
      ].join('\n');
  // Without it compose names the project after the output folder (`cluster`), so two repos with
  // the default folder would share volumes, and `down -v` in one would delete the other's data.
  const project = `# Compose project: prefixes containers, the network and the data volumes.\nCOMPOSE_PROJECT_NAME=${spec.id}`;
  const purposeOf = (purpose: string) => purpose.replace(/[\0\n\r]/g, ' ');
  if (spec.secretFiles) {
    const files = [
      `# The passwords are files, not variables: write each into ${SECRETS_DIR}/<NAME> beside docker-compose.yml`,
      `# (one line; the folder 0700, each file readable by the container's user, e.g. 0644: the official`,
      '# pgpool/pgpool image runs as uid 70). Compose mounts each only into the containers that need it.',
      ...spec.secrets.map(({ env, purpose }) => `#   ${SECRETS_DIR}/${env}: ${purposeOf(purpose)}`),
    ].join('\n');
    return `${[header, project, files].join('\n\n')}\n`;
  }
  const entries = spec.secrets.map(({ env, purpose }) => `# ${purposeOf(purpose)}\n${env}=`);
  return `${[header, project, ...entries].join('\n\n')}\n`;
}
