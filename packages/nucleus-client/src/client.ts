/**
 * `NucleusClient`: the Scale Nucleus API on `@mlclients/package-core`.
 *
 * Every operation of `openapi/nucleus.yaml` is a method of the generated base class (`nu.<resource>.<method>()`);
 * Nucleus's quirks are data in `service.ts`; `resources/` adds the workflows the spec cannot describe
 * (`datasets.append`, async uploads, `AsyncJob`s).
 */
import type { ClientOptions } from '@mlclients/package-core';
import type { NucleusKeys } from './auth.js';
import { GeneratedNucleusClient } from './generated/index.js';
import { DatasetItems } from './resources/dataset-items.js';
import { Datasets } from './resources/datasets.js';
import { Jobs } from './resources/jobs.js';
import { Predictions } from './resources/predictions.js';
import { nucleusService } from './service.js';

export interface NucleusClientOptions
  extends Omit<ClientOptions, 'baseUrl' | 'auth' | 'errorPolicy' | 'operationSchemas' | 'envelope'>,
    NucleusKeys {
  /** @default process.env.NUCLEUS_ENDPOINT, then `https://api.scale.com/v1/nucleus` */
  endpoint?: string | undefined;
  /** Same as `endpoint`. */
  baseUrl?: string | undefined;
}

/**
 * The Scale Nucleus client.
 *
 * @example
 * ```ts
 * const nu = new NucleusClient({ apiKey: process.env.NUCLEUS_API_KEY });
 * const { dataset_id } = await nu.datasets.create({ name: 'cars' });
 * const result = await nu.datasets.append(dataset_id, [{ reference_id: 'img-1', image_location: 's3://b/1.jpg' }]);
 * ```
 */
export class NucleusClient extends GeneratedNucleusClient<NucleusClientOptions> {
  static override service = nucleusService;

  override readonly datasets: Datasets = new Datasets(this);
  override readonly datasetItems: DatasetItems = new DatasetItems(this);
  override readonly predictions: Predictions = new Predictions(this);
  override readonly jobs: Jobs = new Jobs(this);

  /**
   * Creates a `NucleusClient`.
   *
   * @param options Keys, endpoint and the core's options; unset keys and endpoint come from `NUCLEUS_*` variables.
   */
  constructor(options: NucleusClientOptions = {}) {
    super(options);
  }
}
