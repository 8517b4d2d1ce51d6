import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readPackageVersion } from '../../src/cli/index.js';
import { createDemoProgram } from './fixtures/demo-program.js';

/** Run the demo CLI in-process with these words; what it printed, and commander's exit code if it exited. */
async function run(...words: string[]): Promise<{ output: string; exitCode: number | undefined }> {
  let output = '';
  const program = createDemoProgram((text) => {
    output += text;
  });
  let exitCode: number | undefined;
  try {
    await program.parseAsync(words, { from: 'user' });
  } catch (error) {
    exitCode = (error as { exitCode?: number }).exitCode;
    if (exitCode === undefined) throw error;
  }
  return { output, exitCode };
}

describe('--version', () => {
  it('prints the version of the package.json and exits 0', async () => {
    expect(await run('--version')).toEqual({ output: '3.1.4-beta.1\n', exitCode: 0 });
    expect(await run('-V')).toEqual({ output: '3.1.4-beta.1\n', exitCode: 0 });
  });

  it('is listed in the help', async () => {
    expect((await run('--help')).output).toMatch(/-V, --version\s+print the version/);
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'mlc-cli-version-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the field when the package.json has no usable version', () => {
    const file = path.join(dir, 'package.json');
    writeFileSync(file, JSON.stringify({ name: 'x', version: 3 }));
    expect(() => readPackageVersion(pathToFileURL(file))).toThrow(
      `${file}: version: expected a non-empty string`,
    );
    writeFileSync(file, '{ not json');
    expect(() => readPackageVersion(pathToFileURL(file))).toThrow(`${file}: cannot read the package version`);
  });
});

describe('global options in every help', () => {
  it('lists the global options in a subcommand help, beside its own', async () => {
    const { output } = await run('install', '--help');
    const [own, globals] = output.split('Global Options:');
    expect(own).toContain('--dest <folder>');
    expect(own).not.toContain('--json');
    expect(globals).toMatch(/--json\s+machine-readable output/);
    expect(globals).toMatch(/-q, --quiet\s+no progress bars/);
    expect(globals).toContain('--host <host>');
  });

  it('lists them two levels down and in the completion command help', async () => {
    for (const words of [
      ['projects', 'list', '--help'],
      ['help', 'projects', 'export'],
      ['completion', '--help'],
    ]) {
      const { output } = await run(...words);
      expect(output.split('Global Options:')[1], words.join(' ')).toMatch(/-q, --quiet/);
    }
  });

  it('keeps the global options usable after the subcommand', async () => {
    expect((await run('install', 'pkg', '-q', '--json')).output).toBe('installed\n');
  });
});

describe('completion candidates (`complete -- <words>`)', () => {
  /** The candidates (value, description) the hidden complete command prints, and its directive line. */
  async function complete(...words: string[]) {
    const { output } = await run('complete', '--', ...words);
    const lines = output.trimEnd().split('\n');
    const directive = lines.pop();
    return { values: lines.map((line) => line.split('\t')[0]), lines, directive };
  }

  it('offers the commands, not the hidden complete command', async () => {
    const { values, lines, directive } = await complete('');
    expect(values).toEqual(['install', 'projects', 'completion', 'help']);
    expect(lines[0]).toBe('install\tinstall a package');
    expect(directive).toMatch(/^:\d+$/);
  });

  it('completes a prefix and a nested command', async () => {
    expect((await complete('pro')).values).toEqual(['projects']);
    expect((await complete('projects', '')).values).toEqual(['list', 'export', 'help']);
  });

  it("offers a subcommand's own options and the global ones", async () => {
    const { values } = await complete('install', '--');
    expect(values).toEqual(
      expect.arrayContaining(['--dest', '--mode', '--help', '--json', '--quiet', '--host']),
    );
    expect((await complete('projects', 'list', '--q')).values).toEqual(['--quiet']);
  });

  it('offers the choices of an option and of an argument', async () => {
    expect((await complete('install', 'pkg', '--mode', '')).values).toEqual(['copy', 'link']);
    expect((await complete('projects', 'export', '')).values).toEqual(['coco', 'voc']);
    expect((await complete('completion', '')).values).toEqual(['bash', 'zsh', 'fish', 'powershell']);
  });

  it('skips the value of a global option that takes one', async () => {
    expect((await complete('--host', 'h.example', 'pro')).values).toEqual(['projects']);
  });
});
