/** A URL for messages: credentials and signature-like query values (pre-signed S3 URLs) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    for (const name of [...parsed.searchParams.keys()]) {
      if (/signature|credential|token|key|secret|sig$/i.test(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.href;
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
  }
}
