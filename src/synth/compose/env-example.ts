import type { ClusterSpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';

/**
 * .env.example: the compose project name and every password the cluster reads, empty, under
 * what it is for. Copy it to .env
 * (which git ignores) and fill it in; docker-compose reads .env from the compose file's folder.
 */
export function renderEnvExample(spec: ClusterSpec): string {
  const header = [
    markerComment('#'),
    `# Passwords of cluster ${spec.id}. Copy this file to .env, fill in every value, never commit .env.`,
    '# Keep $ out of the values: compose may expand it as a variable reference.',
  ].join('\n');
  // Without it compose names the project after the output folder (`cluster`), so two repos with
  // the default folder would share volumes, and `down -v` in one would delete the other's data.
  const project = `# Compose project: prefixes containers, the network and the data volumes.\nCOMPOSE_PROJECT_NAME=${spec.id}`;
  const entries = spec.secrets.map(({ env, purpose }) => `# ${purpose.replace(/[\0\n\r]/g, ' ')}\n${env}=`);
  return `${[header, project, ...entries].join('\n\n')}\n`;
}
