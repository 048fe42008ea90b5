import type { NodeRef } from '../../model/spec.js';
import { defineRule, type Finding } from '../rule.js';
import { pgpoolImageVersion } from './pgpool-image-version.js';
import { imageMajor } from './postgres-image-major.js';

/** The tag of an image reference, '' when it has none; a digest (`@sha256:…`) is returned as `@…`. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at);
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : '';
}

/** Why the version check cannot read `image`, or undefined when it can. */
function unpinnedReason(image: string, readable: boolean, what: string): string | undefined {
  const tag = imageTag(image);
  if (tag === '') return `has no tag, so it runs whatever 'latest' is when the image is pulled, and the ${what} check cannot be done`;
  if (tag === 'latest') return `is tagged 'latest', which moves to the next release when it is pulled again, so the ${what} check cannot be done`;
  if (tag.startsWith('@')) return `is pinned by digest, from which the ${what} cannot be read, so the ${what} check cannot be done`;
  if (!readable) return `has the tag '${tag}', from which the ${what} cannot be read, so the ${what} check cannot be done`;
  return undefined;
}

export const versionedImagesPinned = defineRule({
  code: 'PGS174',
  severity: 'warning',
  title: 'A PostgreSQL or Pgpool image names its version in the tag',
  why: "PGS024 and PGS113 compare an image override with postgresVersion and pgpoolVersion by reading the tag. 'postgres:latest', a bare 'postgres' or a tag without the version ('postgres:bookworm', a digest) passes them unread: with postgresVersion 17, 'postgres:latest' runs 18 after the next pull, initdb then writes a data directory 17 cannot read, and the standbys' base backups stop (\"incompatible\"). pgsynth also writes postgresql.conf for postgresVersion.",
  fix: "use a tag that names the version, e.g. 'postgres:17-bookworm' or 'pgpool/pgpool:4.5'",
  example: "new Cluster({ name: 'shop', postgresVersion: 17, images: { postgres: 'postgres:latest' } })",
  targets: ['compose'],
  check(spec) {
    const findings: Finding[] = [];
    /** Nodes sharing one image: every node of their kind (more than one) means it is the cluster's. */
    const check = <T extends NodeRef & { image: string }>(nodes: T[], readable: (image: string) => boolean, what: string, clusterField: string, fix: string) => {
      const groups = new Map<string, T[]>();
      for (const node of nodes) groups.set(node.image, [...(groups.get(node.image) ?? []), node]);
      for (const [image, users] of groups) {
        const reason = unpinnedReason(image, readable(image), what);
        if (!reason) continue;
        const message = `image '${image}' ${reason}`;
        if (users.length > 1 && users.length === nodes.length) findings.push({ node: spec, field: clusterField, message, fix });
        else for (const node of users) findings.push({ node, field: 'image', message, fix });
      }
    };
    check(spec.postgres, (image) => imageMajor(image) !== null, 'major version', 'images.postgres', `use 'postgres:${spec.postgresVersion}-bookworm' (or another tag that starts with ${spec.postgresVersion})`);
    check(spec.pgpools, (image) => pgpoolImageVersion(image) !== null, 'Pgpool-II version', 'images.pgpool', `use 'pgpool/pgpool:${spec.pgpoolVersion}'`);
    return findings;
  },
});
