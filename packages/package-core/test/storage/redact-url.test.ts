/**
 * redactUrl, used wherever a blob URL reaches a message (spacer's URL store, datapackage's errors about objects): a
 * pre-signed URL's signature and credentials, and a password in the authority, never appear; the rest of the URL does.
 */
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/storage/redact-url.js';

describe('redactUrl', () => {
  it('masks the signature-like query values of a pre-signed S3 URL and keeps the others', () => {
    const url =
      'https://bucket.s3.amazonaws.com/data/a.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261130%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261130T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE&X-Amz-Signature=0123456789abcdef';
    const shown = redactUrl(url);
    for (const secret of ['AKIAEXAMPLE', 'FwoGZXIvYXdzEXAMPLE', '0123456789abcdef'])
      expect(shown).not.toContain(secret);
    expect(shown).toContain('https://bucket.s3.amazonaws.com/data/a.bin?');
    expect(shown).toContain('X-Amz-Expires=900');
    expect(shown).toContain('X-Amz-Signature=***');
  });

  it('masks a user and password in the authority, also in what URL cannot parse', () => {
    expect(redactUrl('https://alice:hunter2@host.example/x')).toBe('https://***@host.example/x');
    expect(redactUrl('weird://alice:hunter2@[not a host/x')).toBe('weird://***@[not a host/x');
  });

  it('leaves a URL without secrets as it is', () => {
    expect(redactUrl('https://host.example/data/a.bin?versionId=3')).toBe(
      'https://host.example/data/a.bin?versionId=3',
    );
  });
});
