/**
 * `npm start`, after the build: a tour of what the packages do, against fakes and a temporary local registry.
 * Runs on the built output, so what it shows is what a user of the published packages gets.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPackageTour } from './datapackage-tour.js';
import { printGeneratedOverview } from './generated-overview.js';
import { hubTour } from './hub-tour.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const detailed = process.argv.includes('--all');

console.log('== The packages and the operations generated from their specs');
await printGeneratedOverview(repoRoot, { detailed });
console.log('\n== @mlclients/hub-client against its stateful fake (@mlclients/hub-client/mocks)');
await hubTour();
console.log('\n== @mlclients/datapackage: a quilt3-compatible data package on a local registry');
await dataPackageTour();
