/** Local-path detection (nucleus-api.md §2.4): local unless the scheme is http, https, s3 or gs. */
const REMOTE = /^(https?|s3|gs):\/\//i;

export function isLocalPath(location: string): boolean {
  return !REMOTE.test(location);
}
