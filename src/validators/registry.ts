import type { Rule } from './rule.js';
import { allowedClientsNotWorldOpen } from './rules/allowed-clients-open.js';
import { allowedClientsAdmitProxies } from './rules/allowed-clients-proxies.js';
import { applicationNameFormat } from './rules/application-name-format.js';
import { applicationNamesUnique } from './rules/application-names-unique.js';
import { backupOwnsArchiveSettings } from './rules/backup-archive-settings.js';
import { backupArchiveBounded } from './rules/backup-archive-growth.js';
import { archiveTimeoutBounded } from './rules/backup-archive-timeout.js';
import { backupComposeSecretFiles } from './rules/backup-compose-secret-files.js';
import { backupRepositoryOutsideData } from './rules/backup-repository-location.js';
import { backupRepositoryVolumeOwn } from './rules/backup-repository-volume.js';
import { backupRetentionKeepsFull } from './rules/backup-retention.js';
import { backupNeedsReplicaWalLevel } from './rules/backup-wal-level.js';
import { bindAddressLoopback } from './rules/bind-address.js';
import { containerPortsUnique } from './rules/container-ports-unique.js';
import { failoverCandidatesHaveSlots } from './rules/failover-candidate-slots.js';
import { failoverNeedsHealthChecks } from './rules/failover-health-checks.js';
import { singlePgpoolIsSinglePointOfFailure } from './rules/single-pgpool.js';
import { rewindNeedsFullPageWrites } from './rules/rewind-full-page-writes.js';
import { haproxyReadOnlyFitsStandbys } from './rules/haproxy-read-only-budget.js';
import { haproxyReadOnlyHasStandby } from './rules/haproxy-read-only-standby.js';
import { haproxyReadWriteReachesPrimaryOnly } from './rules/haproxy-read-write-primary.js';
import { haproxyMaxConnCoversServers } from './rules/haproxy-maxconn-ceiling.js';
import { haproxyServerMaxConnFitsPgpool } from './rules/haproxy-server-maxconn.js';
import { haproxiesShareSessions } from './rules/haproxy-shared-pgpool.js';
import { haproxySessionTimeoutsLong } from './rules/haproxy-session-timeouts.js';
import { haproxyTimeoutsSymmetric } from './rules/haproxy-timeout-symmetry.js';
import { haproxyTrustCheck } from './rules/haproxy-trust-check.js';
import { haproxyUpstreamInCluster } from './rules/haproxy-upstream-in-cluster.js';
import { haproxyUpstreamUnique } from './rules/haproxy-upstream-unique.js';
import { hostPortsUnique } from './rules/host-ports-unique.js';
import { hotStandbyFeedbackWithReads } from './rules/hot-standby-feedback.js';
import { hotStandbyOnReplicas } from './rules/hot-standby.js';
import { idsAreDnsLabels } from './rules/ids-dns-labels.js';
import { idsUnique } from './rules/ids-unique.js';
import { versionedImagesPinned } from './rules/image-pinned.js';
import { localDirSafe } from './rules/local-dir-text.js';
import { exactlyOnePrimary } from './rules/one-primary.js';
import { pgpoolBackendHostValid } from './rules/pgpool-backend-host.js';
import { pgpoolBackendReachable } from './rules/pgpool-backend-reachable.js';
import { pgpoolBackendsInCluster } from './rules/pgpool-backends-in-cluster.js';
import { pgpoolBackendsUnique } from './rules/pgpool-backends-unique.js';
import { pgpoolChildrenMemory } from './rules/pgpool-children-memory.js';
import { pgpoolConnectionBudget } from './rules/pgpool-connection-budget.js';
import { pgpoolHasPrimary } from './rules/pgpool-has-primary.js';
import { pgpoolHealthCheckOn } from './rules/pgpool-health-check.js';
import { pgpoolImageMatchesVersion } from './rules/pgpool-image-version.js';
import { pgpoolLoadBalanceReachesStandbys } from './rules/pgpool-load-balance-weights.js';
import { pgpoolPortsInRange } from './rules/pgpool-port-range.js';
import { pgpoolReservedBelowChildren } from './rules/pgpool-reserved-connections.js';
import { pgpoolSearchPrimaryBounded } from './rules/pgpool-search-primary-timeout.js';
import { pgpoolStreamingCheckOn } from './rules/pgpool-sr-check.js';
import { statementLoadBalanceNeedsLoadBalance } from './rules/pgpool-statement-load-balance.js';
import { postgresImageMatchesVersion } from './rules/postgres-image-major.js';
import { unprivilegedHostPorts } from './rules/privileged-ports.js';
import { replicaPrimaryInCluster } from './rules/replica-primary-in-cluster.js';
import { replicationSlotsFit } from './rules/replication-slots.js';
import { reservedConnectionsFit } from './rules/reserved-connections.js';
import { roleNamesDistinct } from './rules/role-names-distinct.js';
import { valuesSafeInFiles } from './rules/safe-text.js';
import { secretNamesOwn } from './rules/secret-names.js';
import { slotNamesValid } from './rules/slot-name-format.js';
import { slotNamesUnique } from './rules/slot-names-unique.js';
import { slotWalKeepSizeBounded } from './rules/slot-wal-keep-size.js';
import { socketPathsFit } from './rules/socket-path-length.js';
import { standbyLimitsCoverPrimary } from './rules/standby-limits.js';
import { standbyNamesCount } from './rules/standby-names-count.js';
import { standbyNamesKnown } from './rules/standby-names-known.js';
import { standbyNamesHaveSpare } from './rules/standby-names-spare.js';
import { standbyNamesSyntax } from './rules/standby-names-syntax.js';
import { subnetFitsServices } from './rules/subnet-size.js';
import { synchronousCommitWaits } from './rules/synchronous-commit-waits.js';
import { synchronousReplicaListed } from './rules/synchronous-flag-listed.js';
import { minimalWalLevelHasNoSenders } from './rules/wal-level-minimal-senders.js';
import { walLevelAllowsReplicas } from './rules/wal-level-replicas.js';
import { walSendersFit } from './rules/wal-senders.js';
import { writtenValuesInServerRange } from './rules/written-values-in-range.js';

/** Every cross-field rule, in code order. docs/rules.md is generated from this list. */
export const RULES: readonly Rule[] = [
  allowedClientsNotWorldOpen,
  allowedClientsAdmitProxies,
  applicationNameFormat,
  applicationNamesUnique,
  archiveTimeoutBounded,
  backupArchiveBounded,
  backupComposeSecretFiles,
  backupNeedsReplicaWalLevel,
  backupOwnsArchiveSettings,
  backupRepositoryOutsideData,
  backupRepositoryVolumeOwn,
  backupRetentionKeepsFull,
  bindAddressLoopback,
  containerPortsUnique,
  failoverCandidatesHaveSlots,
  failoverNeedsHealthChecks,
  singlePgpoolIsSinglePointOfFailure,
  rewindNeedsFullPageWrites,
  haproxyReadOnlyHasStandby,
  haproxyReadWriteReachesPrimaryOnly,
  haproxyServerMaxConnFitsPgpool,
  haproxySessionTimeoutsLong,
  haproxyMaxConnCoversServers,
  haproxiesShareSessions,
  haproxyReadOnlyFitsStandbys,
  haproxyTimeoutsSymmetric,
  haproxyTrustCheck,
  haproxyUpstreamInCluster,
  haproxyUpstreamUnique,
  hostPortsUnique,
  hotStandbyFeedbackWithReads,
  hotStandbyOnReplicas,
  idsAreDnsLabels,
  idsUnique,
  versionedImagesPinned,
  localDirSafe,
  exactlyOnePrimary,
  pgpoolBackendHostValid,
  pgpoolBackendReachable,
  pgpoolBackendsInCluster,
  pgpoolBackendsUnique,
  pgpoolChildrenMemory,
  pgpoolConnectionBudget,
  pgpoolHasPrimary,
  pgpoolHealthCheckOn,
  pgpoolImageMatchesVersion,
  pgpoolLoadBalanceReachesStandbys,
  pgpoolPortsInRange,
  pgpoolReservedBelowChildren,
  pgpoolSearchPrimaryBounded,
  pgpoolStreamingCheckOn,
  statementLoadBalanceNeedsLoadBalance,
  postgresImageMatchesVersion,
  unprivilegedHostPorts,
  replicaPrimaryInCluster,
  replicationSlotsFit,
  reservedConnectionsFit,
  roleNamesDistinct,
  valuesSafeInFiles,
  secretNamesOwn,
  slotNamesValid,
  slotNamesUnique,
  slotWalKeepSizeBounded,
  socketPathsFit,
  standbyLimitsCoverPrimary,
  standbyNamesCount,
  standbyNamesKnown,
  standbyNamesHaveSpare,
  standbyNamesSyntax,
  subnetFitsServices,
  synchronousCommitWaits,
  synchronousReplicaListed,
  minimalWalLevelHasNoSenders,
  walLevelAllowsReplicas,
  walSendersFit,
  writtenValuesInServerRange,
].sort((a, b) => a.code.localeCompare(b.code));
