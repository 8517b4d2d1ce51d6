/** The pyspacer release whose message format this package reads and writes (`coralnet/pyspacer` 0.14.0, b52acdb). */
export const SPACER_WIRE_VERSION = '0.14.0';
