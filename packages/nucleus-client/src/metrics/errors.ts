/**
 * Errors of the metrics module, named after the ones `nucleus.metrics` raises so a Python user recognises them.
 * `pythonName` is the exception class upstream raises in the same situation.
 */
export class NucleusMetricError extends Error {
  readonly pythonName: string = 'Exception';
  /**
   * Creates a `NucleusMetricError`.
   *
   * @param message What went wrong (upstream's message where it has one).
   */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Every annotation or every prediction was removed by the filters (or the input was empty). */
export class EverythingFilteredError extends NucleusMetricError {
  override readonly pythonName = 'EverythingFilteredError';
}

/** A polygon metric met something other than a box or a polygon. */
export class PolygonAnnotationTypeError extends NucleusMetricError {
  override readonly pythonName = 'PolygonAnnotationTypeError';
  /**
   * Creates a `PolygonAnnotationTypeError`.
   *
   * @param message Upstream's message by default.
   */
  constructor(message = "Annotation was expected to be of type 'BoxAnnotation' or 'PolygonAnnotation'.") {
    super(message);
  }
}

/** The cases where upstream raises `ValueError` (bad option values, shapes it cannot build, sklearn refusals). */
export class MetricValueError extends NucleusMetricError {
  override readonly pythonName = 'ValueError';
}

/** The cases where upstream raises `TypeError` (comparing values Python cannot order, a missing confidence). */
export class MetricTypeError extends NucleusMetricError {
  override readonly pythonName = 'TypeError';
}

/** A filter asked for a field or metadata key the object does not have (upstream: AttributeError / KeyError). */
export class FilterKeyError extends NucleusMetricError {
  override readonly pythonName: 'AttributeError' | 'KeyError';
  /**
   * Creates a `FilterKeyError`.
   *
   * @param pythonName The exception upstream raises here (a field: AttributeError; a metadata key: KeyError).
   */
  constructor(message: string, pythonName: 'AttributeError' | 'KeyError') {
    super(message);
    this.pythonName = pythonName;
  }
}
