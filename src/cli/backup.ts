import { pruneBackups, takeBackup } from '../db/backup.ts';
import { withDotEnv } from '../config/dot-env.ts';
import { configOrExit } from '../main.ts';

/**
 * `npm run backup`: a backup now, while the server runs (SQLite's online backup API), into a dated
 * folder under BACKUP_DIR, checked by opening the copy; the oldest beyond BACKUP_KEEP are removed
 * (when BACKUP_KEEP > 0). Reads the same configuration (.env) as the server.
 */

const config = configOrExit(withDotEnv('.env', process.env));
try {
  const { path, manifest } = await takeBackup({
    sqlitePath: config.sqlitePath,
    photosDir: config.photosDir,
    backupDir: config.backup.dir,
    now: Date.now(),
    reason: 'by hand',
  });
  console.log(`Backup taken and checked: ${path}`);
  console.log(`  ${manifest.errands} errands, ${manifest.migrations} migrations, ${manifest.photos} photos`);
  console.log(`备份完成：${path}（代办事项 ${manifest.errands} 件，照片 ${manifest.photos} 张）`);
  if (config.backup.keep > 0) for (const old of pruneBackups(config.backup.dir, config.backup.keep)) console.log(`  removed an old backup: ${old}`);
} catch (error) {
  console.error(`The backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
