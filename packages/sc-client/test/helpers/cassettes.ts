/**
 * Reads the VCR cassettes recorded from a real SC 1.1 server (test/fixtures/sc-cassettes) into plain exchanges.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const CASSETTE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/sc-cassettes');

export interface RecordedExchange {
  cassette: string;
  /** Position in the cassette, for messages. */
  index: number;
  method: string;
  url: URL;
  requestHeaders: Record<string, string>;
  /** Text for JSON and form bodies, bytes for multipart uploads (`!!binary` in the YAML). */
  requestBody: string | Uint8Array | null;
  status: number;
  responseHeaders: Record<string, string>;
  /** Text for JSON and HTML bodies, bytes for images. */
  responseBody: string | Uint8Array;
}

interface RawInteraction {
  request: {
    method: string;
    uri: string;
    headers?: Record<string, string[]>;
    body: string | Uint8Array | null;
  };
  response: {
    status: { code: number };
    headers?: Record<string, string[]>;
    body: { string: string | Uint8Array };
  };
}

/** Header names lower-cased, first value only (VCR stores lists). */
function headers(raw: Record<string, string[]> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw ?? {}).map(([name, values]) => [name.toLowerCase(), String(values[0] ?? '')]),
  );
}

export function readCassette(name: string): RecordedExchange[] {
  // yaml-1.1 because VCR writes `!!binary` bodies, which that schema decodes to bytes.
  const doc = parse(readFileSync(resolve(CASSETTE_DIR, name), 'utf8'), { schema: 'yaml-1.1' }) as {
    interactions: RawInteraction[];
  };
  return doc.interactions.map((interaction, index) => ({
    cassette: name,
    index,
    method: interaction.request.method.toUpperCase(),
    url: new URL(interaction.request.uri),
    requestHeaders: headers(interaction.request.headers),
    requestBody: interaction.request.body,
    status: interaction.response.status.code,
    responseHeaders: headers(interaction.response.headers),
    responseBody: interaction.response.body.string,
  }));
}

export function cassetteNames(): string[] {
  return readdirSync(CASSETTE_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

export function readAllCassettes(): RecordedExchange[] {
  return cassetteNames().flatMap(readCassette);
}

/** The media type of a Content-Type header, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
