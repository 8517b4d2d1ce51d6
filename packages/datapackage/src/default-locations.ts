/**
 * quilt3's default local paths: the local registry at `<user_data_dir>/packages` (platformdirs "Quilt"/"QuiltData")
 * and this library's caches under the user cache dir. `MLC_DATAPKG_CACHE_DIR` moves the caches (tests use it).
 */
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function quiltUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Quilt');
    case 'win32':
      return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'QuiltData', 'Quilt');
    default:
      return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'Quilt');
  }
}

/** quilt3's default local registry directory. */
export function defaultLocalRegistryPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(quiltUserDataDir(env), 'packages');
}

/** Where the object cache and the stat cache live. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLC_DATAPKG_CACHE_DIR) return env.MLC_DATAPKG_CACHE_DIR;
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Caches', 'mlclients-datapkg');
  if (platform() === 'win32') return join(env.LOCALAPPDATA ?? homedir(), 'mlclients-datapkg', 'Cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlclients-datapkg');
}
