import { MARKER_TEXT as MARKER } from '../../src/render/marker.js';
import type { GeneratedFile } from '../../src/render/generated-file.js';

export const CRASH_FILE_COUNT = 200;
const FILE_SIZE = 1024 * 1024;

/**
 * 200 one-megabyte files whose every line names the generation, so a file that is
 * half old and half new cannot pass for either. Shared by the crash test and the
 * driver it runs in a child process.
 */
export function crashFiles(generation: 'old' | 'new'): GeneratedFile[] {
  return Array.from({ length: CRASH_FILE_COUNT }, (_, index) => {
    const line = `${generation} generation, file ${index} `.padEnd(63, '.') + '\n';
    return {
      path: `node${index % 10}/file${index}.conf`,
      content: `# ${MARKER}\n${line.repeat(FILE_SIZE / line.length)}`,
    };
  });
}
