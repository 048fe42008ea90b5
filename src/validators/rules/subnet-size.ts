import { defineRule } from '../rule.js';
import { parseCidr } from '../helpers/cidr.js';

/** Docker keeps the network address, the broadcast address and the gateway. */
const RESERVED_ADDRESSES = 3;

export const subnetFitsServices = defineRule({
  code: 'PGS172',
  severity: 'error',
  title: 'The compose network subnet has an address for every service',
  why: 'Each container takes one address of the network\'s subnet, and Docker keeps the network, broadcast and gateway addresses. When the subnet runs out, the next container fails to start ("no available IPv4 addresses on this network\'s address pools").',
  fix: 'use a larger subnet, e.g. a /24',
  example: "new Cluster({ name: 'shop', network: { subnet: '10.8.0.0/30' } }) // with four services",
  targets: ['compose'],
  check(spec) {
    const cidr = spec.network.subnet ? parseCidr(spec.network.subnet) : null;
    if (!cidr) return [];
    const services = spec.postgres.length + spec.pgpools.length + spec.haproxies.length;
    const usable = Math.max(0, 2 ** (32 - cidr.prefix) - RESERVED_ADDRESSES);
    if (services <= usable) return [];
    let prefix = cidr.prefix;
    while (prefix > 0 && 2 ** (32 - prefix) - RESERVED_ADDRESSES < services) prefix--;
    return [
      {
        node: spec,
        field: 'network.subnet',
        message: `subnet ${spec.network.subnet} has ${usable} address(es) for containers but the cluster has ${services} services`,
        fix: `use a /${prefix} or larger (a /24 holds 253 services)`,
      },
    ];
  },
});
