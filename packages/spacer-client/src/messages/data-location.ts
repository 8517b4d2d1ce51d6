/**
 * `DataLocation` (spacer/data_classes.py): where a blob lives. The wire shape has been stable since 0.2:
 * `{"storage_type": ..., "key": ..., "bucket_name": ...}`. `bucket_name` defaults to null and is required for s3.
 */
import { z } from 'zod';
import { SpacerMessageError } from '../errors.js';

/** `config.STORAGE_TYPES`, in spacer's order. */
export const STORAGE_TYPES = ['s3', 'filesystem', 'memory', 'url'] as const;
/** Where a DataLocation's data lives: `s3`, `filesystem`, `memory` or `url`. */
export type StorageType = (typeof STORAGE_TYPES)[number];

/** zod schema of pyspacer's `DataLocation`: applies the asserts of its Python constructor; each error names its field. */
export const DataLocationSchema = z
  .strictObject({
    storage_type: z.enum(STORAGE_TYPES, { error: 'Storage type not valid.' }),
    key: z.string(),
    bucket_name: z.string().nullable().default(null),
  })
  .superRefine((loc, ctx) => {
    if (loc.storage_type === 's3' && loc.bucket_name === null) {
      ctx.addIssue({ code: 'custom', path: ['bucket_name'], message: 'Need bucket_name to use s3.' });
    }
  });

/** `DataLocation`: the type of what `DataLocationSchema` outputs (wire names kept, as pyspacer writes them). */
export type DataLocation = z.output<typeof DataLocationSchema>;
/** What a caller may write: `bucket_name` may be left out for anything but s3. */
export type DataLocationInput = z.input<typeof DataLocationSchema>;

/** url and s3 locations are remote (spacer caches them locally when it can). */
export function isRemote(loc: DataLocation): boolean {
  return loc.storage_type === 'url' || loc.storage_type === 's3';
}

/** Everything but url can be written. */
export function isWritable(loc: DataLocation): boolean {
  return loc.storage_type !== 'url';
}

/** The last path segment: of the URL's path for url locations, of the key otherwise (Python's `Path(...).name`). */
export function locationFilename(loc: DataLocation): string {
  let path = loc.key;
  if (loc.storage_type === 'url') {
    try {
      path = new URL(loc.key).pathname;
    } catch {
      path = loc.key.replace(/[?#].*$/, '');
    }
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  return segments.at(-1) ?? '';
}

/** Equality on all three fields, as Python's `__eq__`/`__hash__`: two locations are the same blob. */
export function sameLocation(a: DataLocation, b: DataLocation): boolean {
  return a.storage_type === b.storage_type && a.key === b.key && a.bucket_name === b.bucket_name;
}

/** A string that identifies the location, for Map keys. */
export function locationId(loc: DataLocation): string {
  return JSON.stringify([loc.storage_type, loc.key, loc.bucket_name]);
}

/** Builds a validated location (`dataLocation('s3', 'a/b.jpg', 'bucket')`). */
export function dataLocation(
  storageType: StorageType,
  key: string,
  bucketName: string | null = null,
): DataLocation {
  const result = DataLocationSchema.safeParse({ storage_type: storageType, key, bucket_name: bucketName });
  if (!result.success) throw new SpacerMessageError('DataLocation', result.error.issues);
  return result.data;
}
