import { listBackups, restoreBackup } from '../db/backup.ts';
import { runningProcesses } from '../db/running-marks.ts';
import { withDotEnv } from '../config/dot-env.ts';
import { configOrExit } from '../main.ts';

/**
 * `npm run restore -- <backup folder>`: puts a backup in place of the database and the photos, with
 * the server stopped (refused while any process uses the database). The current files are kept aside
 * with a `.before-restore-<stamp>` suffix. Without an argument, lists the backups.
 */

const config = configOrExit(withDotEnv('.env', process.env));
const target = process.argv[2];
if (!target) {
  const all = listBackups(config.backup.dir);
  console.log(all.length ? `Backups in ${config.backup.dir} (oldest first):\n${all.map((b) => `  ${b}`).join('\n')}` : `No backups in ${config.backup.dir}.`);
  console.log('Restore one with: npm run restore -- <backup folder>   (stop the server first)');
  process.exit(all.length ? 0 : 1);
}
const running = runningProcesses(config.sqlitePath);
if (running.length) {
  console.error(
    `Refused: Daiban is running on ${config.sqlitePath} (process ${running.join(', ')}). Stop every role first (systemctl stop 'daiban-*'), then restore.`,
  );
  console.error(`拒绝恢复：服务还在运行（进程 ${running.join('、')}），请先停止服务。`);
  process.exit(2);
}
try {
  const { keptAside, manifest } = restoreBackup({ backupPath: target, sqlitePath: config.sqlitePath, photosDir: config.photosDir, now: Date.now() });
  console.log(`Restored ${target} (taken ${manifest.createdAt}, ${manifest.errands} errands) into ${config.sqlitePath}.`);
  for (const path of keptAside) console.log(`  kept aside: ${path}`);
  console.log('Start the server again: npm start (or systemctl start the roles).');
  console.log(`已恢复备份（${manifest.createdAt}，代办事项 ${manifest.errands} 件）。原来的文件已改名保留。`);
} catch (error) {
  console.error(`The restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
