import type { Cluster } from '../cluster.js';
import { defaultSubnet } from '../defaults.js';
import type { Endpoint, PublishedPort, Target } from '../spec.js';

/**
 * Where a construct's processes live and listen, per target. Everything that differs between
 * `compose` (one container per node, reached by service name) and `local` (every process on
 * 127.0.0.1, under one directory) goes through here, so the resolvers stay target-agnostic
 * wherever they can.
 */
export interface AddressPlan {
  target: Target;
  listenAddresses: string;
  /** How other services reach a node listening on `port` (container) / `hostPort` (host). */
  endpoint(id: string, port: PublishedPort): Endpoint;
  published(hostPort: number, containerPort: number): PublishedPort;
  dir(id: string, sub: string): string;
  /** Address range pg_hba.conf and pool_hba.conf admit for cluster-internal and client traffic. */
  clientNet: string;
}

export function addressPlan(target: Target, props: Cluster['props'], localDir: string): AddressPlan {
  if (target === 'compose') {
    return {
      target,
      listenAddresses: '*',
      endpoint: (id, port) => ({ host: id, port: port.containerPort }),
      published: (hostPort, containerPort) => ({ hostPort, containerPort, listenPort: containerPort }),
      dir: (_id, sub) => sub,
      clientNet: props.network.subnet ?? defaultSubnet(props.name),
    };
  }
  return {
    target,
    listenAddresses: '127.0.0.1',
    endpoint: (_id, port) => ({ host: '127.0.0.1', port: port.hostPort }),
    published: (hostPort, containerPort) => ({ hostPort, containerPort, listenPort: hostPort }),
    dir: (id, sub) => `${localDir}/${id}${sub ? `/${sub}` : ''}`,
    clientNet: '127.0.0.1/32',
  };
}
