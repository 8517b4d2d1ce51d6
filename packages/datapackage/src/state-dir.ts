/** Per-folder state of this library (draft manifest, install record, staging): reserved, excluded from every walk. */
export const STATE_DIR = '.datapkg';
