/** spacer's configuration rules (spacer/config.py). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getConfigValue, REQUIRED, SpacerConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const noFile = join(tmpdir(), 'no-such-dir', 'secrets.json');

describe('SpacerConfig', () => {
  it('takes SPACER_<NAME> first, casts ints and booleans, and keeps defaults', () => {
    const config = SpacerConfig.load({
      env: {
        SPACER_MAX_POINTS_PER_IMAGE: '200',
        SPACER_AWS_ANONYMOUS: 'True',
        SPACER_AWS_REGION: 'us-west-2',
      },
      secretsPath: noFile,
    });
    expect(config.get('MAX_POINTS_PER_IMAGE')).toBe(200);
    expect(config.get('AWS_ANONYMOUS')).toBe(true);
    expect(config.get('AWS_REGION')).toBe('us-west-2');
    expect(config.get('MAX_IMAGE_PIXELS')).toBe(100_000_000);
    expect(config.get('LOG_LEVEL')).toBe('INFO');
    expect(config.get('EXTRACTORS_CACHE_DIR')).toBeNull();
  });

  it('treats an empty string as unset', () => {
    const config = SpacerConfig.load({ env: { SPACER_LOG_LEVEL: '' }, secretsPath: noFile });
    expect(config.get('LOG_LEVEL')).toBe('INFO');
  });

  it('accepts booleans only as the strings True and False, naming the variable', () => {
    for (const value of ['true', '1', 'yes']) {
      expect(() => SpacerConfig.load({ env: { SPACER_AWS_ANONYMOUS: value }, secretsPath: noFile })).toThrow(
        new ConfigError('AWS_ANONYMOUS may only be True or False.'),
      );
    }
    // A JSON true in secrets.json is not the string True either.
    expect(() => SpacerConfig.load({ env: {}, secrets: { AWS_ANONYMOUS: true } })).toThrow(ConfigError);
  });

  it('names the variable of a malformed int', () => {
    expect(() => SpacerConfig.load({ env: { SPACER_MAX_IMAGE_PIXELS: '1e8' }, secretsPath: noFile })).toThrow(
      'SPACER_MAX_IMAGE_PIXELS must be an integer.',
    );
  });

  it('reads secrets.json after the environment, without the prefix, and then nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spacer-config-'));
    const secretsPath = join(dir, 'secrets.json');
    writeFileSync(
      secretsPath,
      JSON.stringify({ AWS_REGION: 'eu-west-1', MAX_POINTS_PER_IMAGE: '50', LOG_LEVEL: '' }),
    );
    const config = SpacerConfig.load({
      env: { SPACER_AWS_REGION: 'us-east-2' },
      secretsPath,
      settings: { LOG_LEVEL: 'DEBUG' },
    });
    expect(config.get('AWS_REGION')).toBe('us-east-2');
    expect(config.get('MAX_POINTS_PER_IMAGE')).toBe(50);
    // Empty in secrets -> default; settings are not consulted when a secrets file has content.
    expect(config.get('LOG_LEVEL')).toBe('INFO');
  });

  it('uses settings when there is no secrets file (or an empty one)', () => {
    const config = SpacerConfig.load({ env: {}, secrets: {}, settings: { LOG_LEVEL: 'DEBUG' } });
    expect(config.get('LOG_LEVEL')).toBe('DEBUG');
  });

  it('raises ConfigError for a required value that is missing', () => {
    expect(() =>
      getConfigValue('EXTRACTORS_CACHE_DIR', 'str', REQUIRED, { env: {}, secretsPath: noFile }),
    ).toThrow('EXTRACTORS_CACHE_DIR setting is required.');
  });

  it('never prints secrets', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const config = SpacerConfig.load({
      env: { SPACER_AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', SPACER_AWS_SECRET_ACCESS_KEY: secret },
      secretsPath: noFile,
    });
    expect(config.awsCredentials()?.secretAccessKey).toBe(secret);
    for (const shown of [
      inspect(config),
      JSON.stringify(config),
      inspect(config, { showHidden: true, depth: 9 }),
    ]) {
      expect(shown).not.toContain(secret);
    }
    // spacer's config.check() shows the first and last six characters.
    expect(config.describe().AWS_SECRET_ACCESS_KEY).toBe('wJalrX ... PLEKEY');
  });
});
