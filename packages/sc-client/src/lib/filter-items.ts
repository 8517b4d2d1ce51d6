/**
 * Datumaro's `filter_dataset` on the items of a COCO dataset. Its own module, apart from the COCO reader's
 * `node:fs`, so the root entry stays browser-safe.
 */
import type { DatasetItem } from './coco.js';

/** Datumaro's `filter_dataset` criteria: keep items that have any / all / none / exactly one of `labels`. */
export type FilterCriterion = 'OR' | 'AND' | 'NOT' | 'XOR';

/** The items that have any (`OR`), all (`AND`), none (`NOT`) or exactly one (`XOR`) of `labels`, as Datumaro's `filter_dataset`. */
export function filterItems(
  items: DatasetItem[],
  labels: string[],
  criterion: FilterCriterion,
): DatasetItem[] {
  const wanted = new Set(labels);
  return items.filter((item) => {
    const present = new Set(item.objects.map((o) => o.label).filter((l) => wanted.has(l)));
    if (criterion === 'OR') return present.size > 0;
    if (criterion === 'AND') return present.size === wanted.size;
    if (criterion === 'NOT') return present.size === 0;
    return present.size === 1;
  });
}
