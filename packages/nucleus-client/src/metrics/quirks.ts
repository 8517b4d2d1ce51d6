/**
 * `'faithful'` (default) reproduces the Python client's numbers, quirks included (nucleus-api.md §11);
 * `'fixed'` corrects them: top-left box x/y, AP with its arguments in order and a real confidence sort,
 * PolygonMAP honouring its threshold, threshold 0 not matching disjoint shapes, empty inputs giving weight-0 results.
 */
export type QuirksMode = 'faithful' | 'fixed';
