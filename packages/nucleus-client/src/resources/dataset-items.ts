/** `nu.datasetItems`: the generated methods plus `iterateQuery`, every item a query matches, page after page. */
import type { IterateOptions, PageIterable, RequestOptions } from '@mlclients/package-core';
import {
  type DatasetItem,
  type DatasetItemQueryParams,
  DatasetItems as GeneratedDatasetItems,
  operations,
} from '../generated/index.js';

export class DatasetItems extends GeneratedDatasetItems {
  /**
   * Every item matching `query` (`POST dataset/{id}/queryItemsPage`), the page tokens sent for you; `pageSize`
   * defaults to the Python client's 10,000 (`MAX_ES_PAGE_SIZE`).
   */
  iterateQuery(
    datasetId: string,
    params: Omit<DatasetItemQueryParams, 'pageSize' | 'pageToken'> & { pageSize?: number },
    options?: RequestOptions & IterateOptions,
  ): PageIterable<DatasetItem> {
    return this._iterate<DatasetItem>(
      operations.queryDatasetItems,
      { pageSize: 10_000, ...params, dataset_id: datasetId },
      options,
    );
  }
}
