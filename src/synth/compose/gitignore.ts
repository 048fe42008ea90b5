import { markerComment } from '../marker.js';

/** .gitignore of the output folder: the filled-in .env holds every password of the cluster. */
export function renderGitignore(): string {
  return `${markerComment('#')}\n# The passwords: only .env.example, with empty values, belongs in git.\n.env\n`;
}
