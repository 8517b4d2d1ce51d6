/**
 * Where datapkg keeps state. Inside a folder: `.datapkg/` (a draft manifest, and an install's staging while it runs),
 * reserved and excluded from every walk. Per user: the state folder, which holds what `install` records about each
 * destination (install-record.ts), so an installed folder holds only the package's files, as after quilt3's install.
 */
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

/** Per-folder state of this library (draft manifest, install staging): reserved, excluded from every walk. */
export const STATE_DIR = '.datapkg';

/**
 * The user's datapkg state folder: `MLC_DATAPKG_STATE_DIR`, else `$XDG_STATE_HOME/mlclients-datapkg` (default
 * `~/.local/state`), `~/Library/Application Support/mlclients-datapkg` on macOS, `%LOCALAPPDATA%\mlclients-datapkg\State`
 * on Windows. State, not cache: clearing the cache keeps it.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLC_DATAPKG_STATE_DIR) return env.MLC_DATAPKG_STATE_DIR;
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Application Support', 'mlclients-datapkg');
  if (platform() === 'win32') return join(env.LOCALAPPDATA ?? homedir(), 'mlclients-datapkg', 'State');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'mlclients-datapkg');
}
