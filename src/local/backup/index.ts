// Backups of the local target (synth up) with pgBackRest: one file per command.
export { backupContext, contextForSpec, currentPrimary, type BackupContext } from './context.js';
export { takeBackup, type BackupType } from './take.js';
export { listBackups, type BackupList, type RecoveryWindow } from './list.js';
export { restoreBackup, restoreTarget, type RestoreOptions, type RestoreResult } from './restore.js';
export { checkBackups, type BackupCheck } from './check.js';
export { backupStatusLine } from './status-line.js';
export { type BackupEntry } from './info.js';
