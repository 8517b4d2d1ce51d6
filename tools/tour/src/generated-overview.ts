/**
 * Each package with the resources and operations generated from its spec. The table is read from the generated source
 * (the tour runs under tsx): the built dist/ bundles it into chunks with no stable file name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Table from 'cli-table3';

interface ResourceEntry {
  accessor: string;
  deprecated: boolean;
  operations: Record<
    string,
    { method: string; path: string; idempotent: boolean; pagination?: { style: string } }
  >;
}

export async function printGeneratedOverview(
  repoRoot: string,
  { detailed }: { detailed: boolean },
): Promise<void> {
  for (const dir of readdirSync(path.join(repoRoot, 'packages')).sort()) {
    const pkgDir = path.join(repoRoot, 'packages', dir);
    const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
      name: string;
      description: string;
    };
    console.log(`\n${pkg.name}: ${pkg.description}`);
    const tableFile = path.join(pkgDir, 'src/generated/resources.ts');
    if (!existsSync(tableFile)) {
      console.log('  (not generated from a spec)');
      continue;
    }
    const { resources, operations } = (await import(pathToFileURL(tableFile).href)) as {
      resources: Record<string, ResourceEntry>;
      operations: Record<string, unknown>;
    };
    console.log(`  ${Object.keys(resources).length} resources, ${Object.keys(operations).length} operations`);
    const table = new Table({ head: ['call', 'HTTP', 'notes'], style: { head: [], border: [] } });
    for (const resource of Object.values(resources)) {
      for (const [name, op] of Object.entries(resource.operations)) {
        const notes = [
          op.pagination ? `paginated (${op.pagination.style})` : '',
          op.idempotent ? '' : 'not retried',
          resource.deprecated ? 'deprecated' : '',
        ];
        table.push([
          `client.${resource.accessor}.${name}()`,
          `${op.method.toUpperCase()} ${op.path}`,
          notes.filter(Boolean).join(', '),
        ]);
      }
    }
    if (detailed || table.length <= 12) console.log(table.toString());
    else console.log(`  (npm start -- --all lists every operation)`);
  }
}
