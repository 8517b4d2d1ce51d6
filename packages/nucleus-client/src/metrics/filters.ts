import { FilterKeyError, MetricTypeError, MetricValueError } from './errors.js';
import type { PayloadList } from './payload-list.js';
import { pyCompare, pyEquals, pyIn, pyStr } from './python-values.js';
import type { Segment, SegmentationPayload } from './types.js';

/** Comparison operators of upstream's `FilterOp`. */
export const FILTER_OPS = ['>', '>=', '<', '<=', '=', '==', '!=', 'in', 'not in'] as const;
/** One of upstream's comparison operators. */
export type FilterOp = (typeof FILTER_OPS)[number];

/** `FilterType`: which getter a filter uses. */
export const FILTER_TYPES = ['field', 'metadata', 'segment_field', 'segment_metadata'] as const;
/** Which getter a filter uses: a standard field, user metadata, or a mask segment's field or metadata. */
export type FilterType = (typeof FILTER_TYPES)[number];

/** The JSON wire form of one filter: `[key, op, value, allow_missing, type]`. */
export type WireFilter = [key: string, op: FilterOp, value: unknown, allowMissing: boolean, type: FilterType];

const CLASS_NAMES: Record<FilterType, string> = {
  field: 'FieldFilter',
  metadata: 'MetadataFilter',
  segment_field: 'SegmentFieldFilter',
  segment_metadata: 'SegmentMetadataFilter',
};

/** One predicate. Built through FieldFilter, MetadataFilter, SegmentFieldFilter or SegmentMetadataFilter. */
export class Filter {
  readonly key: string;
  readonly op: FilterOp;
  readonly value: unknown;
  readonly allowMissing: boolean;
  readonly type: FilterType;

  /**
   * Creates a `Filter`.
   *
   * @param key The field or metadata key compared.
   * @param value What it is compared with (a list for `in` / `not in`).
   * @param allowMissing An object without the key fails the filter (else: {@link FilterKeyError}, as upstream).
   * @throws {@link MetricValueError} for a key that is not a string or an unknown operator or type.
   */
  constructor(key: string, op: FilterOp, value: unknown, allowMissing: boolean, type: FilterType) {
    if (typeof key !== 'string') throw new MetricValueError(`filter key: expected string, got ${typeof key}`);
    if (!(FILTER_OPS as readonly string[]).includes(op)) {
      throw new MetricValueError(
        `filter op: '${String(op)}' is not a valid FilterOp (one of ${FILTER_OPS.join(', ')})`,
      );
    }
    if (!(FILTER_TYPES as readonly string[]).includes(type)) {
      throw new MetricValueError(`filter type: '${String(type)}' is not a valid FilterType`);
    }
    if (typeof allowMissing !== 'boolean') {
      throw new MetricValueError(`filter allow_missing: expected boolean, got ${typeof allowMissing}`);
    }
    this.key = key;
    this.op = op;
    this.value = value;
    this.allowMissing = allowMissing;
    this.type = type;
  }

  /** The wire form `[key, op, value, allow_missing, type]` (what `JSON.stringify` writes). */
  toJSON(): WireFilter {
    return [this.key, this.op, this.value, this.allowMissing, this.type];
  }

  /** `FieldFilter("label", "==", "bus")`, as upstream's pretty-printer writes it. */
  toString(): string {
    const value = typeof this.value === 'string' ? `"${this.value}"` : pyStr(this.value).replace(/'/g, '"');
    return `${CLASS_NAMES[this.type]}("${this.key}", "${this.op}", ${value})`;
  }
}

/** Filter on a standard field (`label`, `x`, `width`, `reference_id`, `confidence`...). */
export class FieldFilter extends Filter {
  /** `key op value` on a standard field; `allowMissing`: an object without it fails the filter instead of raising. */
  constructor(key: string, op: FilterOp, value: unknown, allowMissing = false) {
    super(key, op, value, allowMissing, 'field');
  }
}

/** Filter on the user metadata of an annotation or prediction. */
export class MetadataFilter extends Filter {
  /** `key op value` on a metadata key; `allowMissing`: an object without it fails the filter instead of raising. */
  constructor(key: string, op: FilterOp, value: unknown, allowMissing = false) {
    super(key, op, value, allowMissing, 'metadata');
  }
}

/** Filter the segments of a mask on a segment field (`label`, `index`). */
export class SegmentFieldFilter extends Filter {
  /** `key op value` on a segment field; `allowMissing`: an object without it fails the filter instead of raising. */
  constructor(key: string, op: FilterOp, value: unknown, allowMissing = false) {
    super(key, op, value, allowMissing, 'segment_field');
  }
}

/** Filter the segments of a mask on segment metadata. */
export class SegmentMetadataFilter extends Filter {
  /** `key op value` on a segment metadata key; `allowMissing`: an object without it fails the filter instead of raising. */
  constructor(key: string, op: FilterOp, value: unknown, allowMissing = false) {
    super(key, op, value, allowMissing, 'segment_metadata');
  }
}

/** Rebuild a filter from its wire form. */
export function filterFromWire(wire: readonly unknown[], where = 'filter'): Filter {
  if (!Array.isArray(wire) || wire.length !== 5) {
    throw new MetricValueError(
      `${where}: expected [key, op, value, allow_missing, type], got ${JSON.stringify(wire)}`,
    );
  }
  const [key, op, value, allowMissing, type] = wire;
  try {
    return new Filter(key as string, op as FilterOp, value, allowMissing as boolean, type as FilterType);
  } catch (err) {
    throw new MetricValueError(`${where}: ${(err as Error).message}`);
  }
}

/** One filter: a {@link Filter} object or its wire form (a tuple, as the Python client's). */
export type FilterLike = Filter | WireFilter;
/** A flat list (AND), a list of lists (OR of ANDs, DNF), of filter objects or of their wire form. */
export type FilterInput = FilterLike[] | FilterLike[][];
/** Filters in disjunctive normal form: an OR of AND-lists. */
export type DNF = Filter[][];

const isWire = (x: unknown): x is unknown[] => Array.isArray(x) && typeof x[0] === 'string';

/** `ensureDNFFilters`: normalise any accepted filter shape to a list of AND-branches. */
export function toDNF(filters: FilterInput): DNF {
  if (!Array.isArray(filters)) throw new MetricValueError('filters: expected a list');
  const first = filters[0];
  const branches: unknown[][] =
    first instanceof Filter || isWire(first) ? [filters as unknown[]] : (filters as unknown[][]);
  return branches.map((branch, i) => {
    if (!Array.isArray(branch)) throw new MetricValueError(`filters[${i}]: expected a list of filters`);
    return branch.map((c, j) =>
      c instanceof Filter ? c : filterFromWire(c as unknown[], `filters[${i}][${j}]`),
    );
  });
}

/** The JSON form of a DNF: nested lists of 5-element arrays. */
export function dnfToWire(filters: FilterInput): WireFilter[][] {
  return toDNF(filters).map((branch) => branch.map((f) => f.toJSON()));
}

/** `pretty_format_filters_with_or_and`. */
export function prettyFormatFilters(filters: FilterInput | null | undefined): string {
  if (filters === null || filters === undefined) return 'No filters applied!';
  const dnf = toDNF(filters);
  return dnf
    .map((branch) => {
      const joined = branch.map(String).join(' and ');
      return dnf.length > 1 && branch.length > 1 ? `(${joined})` : joined;
    })
    .join(' or ');
}

// Upstream returns these stand-ins from its getters instead of raising: an "always false" object for a missing
// value under allow_missing, and an (unraised) RuntimeError object when the metadata is empty.
const ALWAYS_FALSE = Symbol('AlwaysFalseComparison');
const NO_METADATA = Symbol('RuntimeError');

// Fields Python's annotation/prediction objects always have (None when absent on the wire).
const ALWAYS_PRESENT = new Set([
  'annotation_id',
  'metadata',
  'confidence',
  'taxonomy_name',
  'track_reference_id',
]);

type Filterable = Record<string, unknown>;

function fieldGetter(key: string, allowMissing: boolean, obj: Filterable): unknown {
  if (key !== 'geometry' && Object.hasOwn(obj, key)) return obj[key];
  const geometry = obj.geometry as Filterable | undefined;
  if (geometry && typeof geometry === 'object' && Object.hasOwn(geometry, key)) return geometry[key];
  if (ALWAYS_PRESENT.has(key)) return null;
  if (allowMissing) return ALWAYS_FALSE;
  throw new FilterKeyError(`object has no attribute '${key}'`, 'AttributeError');
}

function metadataGetter(key: string, allowMissing: boolean, obj: Filterable, isMask: boolean): unknown {
  if (isMask) {
    if (allowMissing) return ALWAYS_FALSE;
    throw new MetricValueError("segmentation masks don't support metadata filtering");
  }
  const metadata = obj.metadata as Filterable | null | undefined;
  const empty = !metadata || Object.keys(metadata).length === 0;
  if (allowMissing) return empty || !Object.hasOwn(metadata!, key) ? ALWAYS_FALSE : metadata![key];
  if (empty) return NO_METADATA;
  if (!Object.hasOwn(metadata!, key)) throw new FilterKeyError(`'${key}'`, 'KeyError');
  return metadata![key];
}

function compare(got: unknown, op: FilterOp, value: unknown): boolean {
  if (got === ALWAYS_FALSE) {
    if (op === 'in' || op === 'not in') throw new MetricTypeError("unhashable type: 'AlwaysFalseComparison'");
    return false;
  }
  if (got === NO_METADATA) {
    switch (op) {
      case '=':
      case '==':
        return false;
      case '!=':
        return true;
      case 'in':
        return pyIn('\u0000RuntimeError', value);
      case 'not in':
        return !pyIn('\u0000RuntimeError', value);
      default:
        throw new MetricTypeError(
          `'${op}' not supported between instances of 'RuntimeError' and '${typeof value}'`,
        );
    }
  }
  switch (op) {
    case '>':
    case '>=':
    case '<':
    case '<=':
      return pyCompare(got, op, value);
    case '=':
    case '==':
      return pyEquals(got, value);
    case '!=':
      return !pyEquals(got, value);
    case 'in':
      return pyIn(got, value);
    case 'not in':
      return !pyIn(got, value);
  }
}

function matches(filter: Filter, obj: Filterable, isMask: boolean): boolean {
  const got =
    filter.type === 'field'
      ? fieldGetter(filter.key, filter.allowMissing, obj)
      : metadataGetter(filter.key, filter.allowMissing, obj, isMask);
  return compare(got, filter.op, filter.value);
}

function applyFieldOrMetadata<T>(items: readonly T[], dnf: DNF, isMask: boolean): T[] {
  return items.filter((item) =>
    dnf.some((branch) => branch.every((f) => matches(f, item as Filterable, isMask))),
  );
}

const isSegmentFilter = (f: Filter) => f.type === 'segment_field' || f.type === 'segment_metadata';

function filterSegments<T>(items: T[], segmentBranches: DNF, isMask: boolean): T[] {
  // Upstream only looks at the first branch to decide whether there is anything to do.
  if (segmentBranches.length === 0 || segmentBranches[0]!.length === 0) return items;
  const transformed: DNF = segmentBranches.map((branch) =>
    branch.map(
      (f) =>
        new Filter(f.key, f.op, f.value, f.allowMissing, f.type === 'segment_field' ? 'field' : 'metadata'),
    ),
  );
  if (!isMask) return []; // non-mask objects are dropped by a segment filter, as upstream
  return items.map((item) => {
    const mask = item as unknown as SegmentationPayload;
    const segments = applyFieldOrMetadata<Segment>(mask.annotations, transformed, false);
    return { ...mask, annotations: segments } as unknown as T;
  });
}

/** `apply_filters` on one list of same-typed payloads. */
export function applyFilters<T>(items: T[], filters: FilterInput | null | undefined, isMask = false): T[] {
  if (filters === null || filters === undefined || filters.length === 0) return items;
  const dnf = toDNF(filters);
  const normal = dnf.map((branch) => branch.filter((f) => !isSegmentFilter(f)));
  const segment = dnf.map((branch) => branch.filter(isSegmentFilter));
  return filterSegments(applyFieldOrMetadata(items, normal, isMask), segment, isMask);
}

/** `filter_annotation_list` / `filter_prediction_list`: every typed list filtered (keypoints are left alone). */
export function filterPayloadList(
  list: PayloadList,
  filters: FilterInput | null | undefined,
  side: 'annotations' | 'predictions',
): PayloadList {
  if (filters === null || filters === undefined || filters.length === 0) return list;
  return {
    box: applyFilters(list.box, filters),
    line: applyFilters(list.line, filters),
    polygon: applyFilters(list.polygon, filters),
    keypoints: list.keypoints,
    cuboid: applyFilters(list.cuboid, filters),
    category: applyFilters(list.category, filters),
    multicategory: side === 'annotations' ? applyFilters(list.multicategory, filters) : list.multicategory,
    segmentation: applyFilters(list.segmentation, filters, true),
  };
}
