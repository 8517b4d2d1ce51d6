/**
 * `npm start` (after the build): each package with the operations generated from its spec.
 * Reads the built output, so what it prints is what a user of the published package gets.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Table from 'cli-table3';

interface OperationEntry {
  method: string;
  path: string;
  idempotent: boolean;
  pagination?: { style: string };
}
interface ResourceEntry {
  accessor: string;
  deprecated: boolean;
  operations: Record<string, OperationEntry>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

for (const dir of readdirSync(path.join(repoRoot, 'packages')).sort()) {
  const pkgDir = path.join(repoRoot, 'packages', dir);
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    name: string;
    description: string;
  };
  console.log(`\n${pkg.name}: ${pkg.description}`);
  const tableFile = path.join(pkgDir, 'dist/generated/resources.js');
  if (!existsSync(tableFile)) {
    console.log('  (no generated API: this package is not built from a spec)');
    continue;
  }
  const { resources, operations } = (await import(pathToFileURL(tableFile).href)) as {
    resources: Record<string, ResourceEntry>;
    operations: Record<string, OperationEntry>;
  };
  const rows = Object.values(resources).flatMap((resource) =>
    Object.entries(resource.operations).map(([name, op]) => ({
      call: `client.${resource.accessor}.${name}()`,
      http: `${op.method.toUpperCase()} ${op.path}`,
      notes: [
        op.pagination ? `paginated (${op.pagination.style})` : '',
        op.idempotent ? '' : 'not retried',
        resource.deprecated ? 'deprecated' : '',
      ]
        .filter(Boolean)
        .join(', '),
    })),
  );
  console.log(`  ${Object.keys(resources).length} resources, ${Object.keys(operations).length} operations`);
  const table = new Table({ head: ['call', 'HTTP', 'notes'], style: { head: [], border: [] } });
  table.push(...rows.map((row) => [row.call, row.http, row.notes]));
  console.log(table.toString());
}
