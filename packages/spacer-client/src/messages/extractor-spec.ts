/**
 * Feature-extractor specs (`FeatureExtractor.serialize()`, spacer/extractors/base.py, since 0.5.0):
 * `{class_path, data_locations: {name: DataLocation}, data_hashes: {name: sha256hex}}`, plus `feature_dim` for the
 * DummyExtractor. spacer imports `class_path` dynamically, so only its three extractors are accepted here; the short
 * re-exported paths (`spacer.extractors.EfficientNetExtractor`) are read and written back in the full form, as
 * Python's `serialize()` does.
 */
import { z } from 'zod';
import { DataLocationSchema } from './data-location.js';

/** The class paths of spacer's built-in feature extractors. */
export const EXTRACTOR_CLASS_PATHS = {
  efficientnet: 'spacer.extractors.efficientnet.EfficientNetExtractor',
  vgg16: 'spacer.extractors.vgg16.VGG16CaffeExtractor',
  dummy: 'spacer.extractors.base.DummyExtractor',
} as const;

/** Every spelling spacer resolves, mapped to the class's own `module.Name`. */
const CLASS_PATH_ALIASES: Record<string, string> = {
  'spacer.extractors.EfficientNetExtractor': EXTRACTOR_CLASS_PATHS.efficientnet,
  'spacer.extractors.VGG16CaffeExtractor': EXTRACTOR_CLASS_PATHS.vgg16,
  'spacer.extractors.DummyExtractor': EXTRACTOR_CLASS_PATHS.dummy,
  [EXTRACTOR_CLASS_PATHS.efficientnet]: EXTRACTOR_CLASS_PATHS.efficientnet,
  [EXTRACTOR_CLASS_PATHS.vgg16]: EXTRACTOR_CLASS_PATHS.vgg16,
  [EXTRACTOR_CLASS_PATHS.dummy]: EXTRACTOR_CLASS_PATHS.dummy,
};

/** `DATA_LOCATION_KEYS` of each extractor: spacer raises ValueError when one is missing. */
export const EXTRACTOR_DATA_KEYS: Record<string, readonly string[]> = {
  [EXTRACTOR_CLASS_PATHS.efficientnet]: ['weights'],
  [EXTRACTOR_CLASS_PATHS.vgg16]: ['definition', 'weights'],
  [EXTRACTOR_CLASS_PATHS.dummy]: [],
};

/** Output dimension of each real extractor (the DummyExtractor's is its `feature_dim`). */
export const EXTRACTOR_FEATURE_DIMS = {
  [EXTRACTOR_CLASS_PATHS.efficientnet]: 1280,
  [EXTRACTOR_CLASS_PATHS.vgg16]: 4096,
} as const;

const DataLocationsSchema = z.record(z.string(), DataLocationSchema);
// sha256 hex digests; spacer does not check their form (a wrong one fails the hash check at run time).
const DataHashesSchema = z.record(z.string(), z.string());

const commonFields = {
  data_locations: DataLocationsSchema,
  // `data_hashes or dict()`: null and a missing key both mean no hashes.
  data_hashes: DataHashesSchema.nullish().transform((hashes) => hashes ?? {}),
};

function withRequiredKeys<
  T extends z.ZodType<{ class_path: string; data_locations: Record<string, unknown> }>,
>(schema: T): T {
  return schema.superRefine((spec, ctx) => {
    const name = spec.class_path.split('.').at(-1);
    for (const key of EXTRACTOR_DATA_KEYS[spec.class_path] ?? []) {
      if (!(key in spec.data_locations)) {
        ctx.addIssue({
          code: 'custom',
          path: ['data_locations', key],
          message: `${key} must be present in data_locations for ${name}.`,
        });
      }
    }
  }) as unknown as T;
}

/** zod schema of pyspacer's `EfficientNetExtractorSpec`: applies the asserts of its Python constructor; each error names its field. */
export const EfficientNetExtractorSpecSchema = withRequiredKeys(
  z.object({ class_path: z.literal(EXTRACTOR_CLASS_PATHS.efficientnet), ...commonFields }),
);
/** zod schema of pyspacer's `VGG16CaffeExtractorSpec`: applies the asserts of its Python constructor; each error names its field. */
export const VGG16CaffeExtractorSpecSchema = withRequiredKeys(
  z.object({ class_path: z.literal(EXTRACTOR_CLASS_PATHS.vgg16), ...commonFields }),
);
/** zod schema of pyspacer's `DummyExtractorSpec`: applies the asserts of its Python constructor; each error names its field. */
export const DummyExtractorSpecSchema = z.object({
  class_path: z.literal(EXTRACTOR_CLASS_PATHS.dummy),
  data_locations: DataLocationsSchema.nullish().transform((locations) => locations ?? {}),
  data_hashes: commonFields.data_hashes,
  feature_dim: z.int().positive().default(4096),
});

/** zod schema of pyspacer's `ExtractorSpec`: applies the asserts of its Python constructor; each error names its field. */
export const ExtractorSpecSchema = z.preprocess(
  (value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const classPath = (value as { class_path?: unknown }).class_path;
      if (typeof classPath === 'string' && classPath in CLASS_PATH_ALIASES) {
        return { ...value, class_path: CLASS_PATH_ALIASES[classPath] };
      }
    }
    return value;
  },
  z.discriminatedUnion(
    'class_path',
    [EfficientNetExtractorSpecSchema, VGG16CaffeExtractorSpecSchema, DummyExtractorSpecSchema],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `class_path must be one of ${Object.keys(CLASS_PATH_ALIASES).join(', ')}`
          : undefined,
    },
  ),
);

/** `ExtractorSpec`: the type of what `ExtractorSpecSchema` outputs (wire names kept, as pyspacer writes them). */
export type ExtractorSpec = z.output<typeof ExtractorSpecSchema>;
/** `EfficientNetExtractorSpec`: the type of what `EfficientNetExtractorSpecSchema` outputs (wire names kept, as pyspacer writes them). */
export type EfficientNetExtractorSpec = z.output<typeof EfficientNetExtractorSpecSchema>;
/** `VGG16CaffeExtractorSpec`: the type of what `VGG16CaffeExtractorSpecSchema` outputs (wire names kept, as pyspacer writes them). */
export type VGG16CaffeExtractorSpec = z.output<typeof VGG16CaffeExtractorSpecSchema>;
/** `DummyExtractorSpec`: the type of what `DummyExtractorSpecSchema` outputs (wire names kept, as pyspacer writes them). */
export type DummyExtractorSpec = z.output<typeof DummyExtractorSpecSchema>;

/** The feature dimension the extractor produces. */
export function extractorFeatureDim(spec: ExtractorSpec): number {
  return spec.class_path === EXTRACTOR_CLASS_PATHS.dummy
    ? spec.feature_dim
    : EXTRACTOR_FEATURE_DIMS[spec.class_path];
}
