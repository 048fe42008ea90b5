import type { Cluster } from '../../model/cluster.js';
import { openLocalRuntime, promoteNode, rejoinNode, stopServiceByHand, switchover } from '../../local/index.js';
import { UsageError, type CliArgs } from '../args.js';
import { green, type Output } from '../output.js';

// `synth promote`, `synth switchover` and `synth rejoin`: who is primary in the local cluster,
// changed by hand (automatic failover needs none of them); and `synth stop`, which takes one
// service out of it cleanly.

function nodeArgument(command: string, args: CliArgs): string {
  const node = command === 'switchover' ? args.to : args.positionals[0];
  if (!node) throw new UsageError(command === 'switchover' ? 'switchover needs --to NODE' : `${command} needs a node id, e.g. synth ${command} pg-replica1`);
  return node;
}

export async function runFailoverCommand(command: 'stop' | 'promote' | 'switchover' | 'rejoin', o: Output, cluster: Cluster, args: CliArgs): Promise<number> {
  const node = nodeArgument(command, args);
  const started = performance.now();
  const runtime = openLocalRuntime(cluster, { ...(args.pgBin ? { pgBin: args.pgBin } : {}), progress: (line) => o.out(line) });
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  if (command === 'stop') {
    const result = await stopServiceByHand(runtime, node);
    o.out(green(o, result === 'stopped' ? `${node} stopped (${seconds()} s); synth up starts it again` : `${node} is not running: nothing to stop`));
    return 0;
  }
  if (command === 'promote') await promoteNode(runtime, node);
  else if (command === 'switchover') await switchover(runtime, node);
  else await rejoinNode(runtime, node, { reclone: args.reclone });
  const done = command === 'rejoin' ? `${node} streams as a standby` : `${node} is the primary`;
  o.out(green(o, `${done} (${seconds()} s); synth status shows the cluster`));
  return 0;
}
