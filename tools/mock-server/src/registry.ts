/**
 * The services the mock server can serve, by name. A service plugs in with one entry: where its spec is (for
 * `--prism`) and how to build its fake from a seed. Fakes are loaded on demand, so serving one service never loads
 * another's code.
 */
import type { FaultSwitchboard, JournalEntry } from '@mlclients/package-core/testing';

/** What the server needs from a fake. */
export interface ServableFake {
  /** Answer one request (a dropped connection is `Response.error()`). */
  handle(request: Request): Promise<Response>;
  /** Back to the seed (or empty), journal and faults cleared. */
  reset(): void;
  faults: FaultSwitchboard;
  journal: JournalEntry[];
}

/** A parsed seed file: objects per resource wire name, and optionally the only tokens accepted. */
export interface Seed {
  resources: Record<string, Record<string, unknown>[]>;
  tokens?: string[];
  /** The project of each project token that names one (`{ "token": "...", "project_id": 1 }` in `_tokens`). */
  tokenProjects?: Record<string, string | number>;
}

/** How a fake is built for the server. */
export interface FakeFactoryOptions {
  seed: Seed;
  /** Check every answer against the spec: 'warn' records problems in the journal's sibling counters. */
  conformance: 'error' | 'warn' | 'off';
}

/** One entry of the registry. */
export interface MockService {
  /** The spec Prism serves with `--prism`, relative to the repository root. */
  spec: string;
  /** The resource wire names a seed may use (a typo in a seed file is an error, not an ignored key). */
  resources(): Promise<readonly string[]>;
  create(options: FakeFactoryOptions): Promise<ServableFake>;
}

export const services: Readonly<Record<string, MockService>> = {
  hub: {
    spec: 'openapi/hub.yaml',
    async resources() {
      const { HUB_RESOURCES } = await import('@mlclients/hub-client/mocks');
      return [...Object.keys(HUB_RESOURCES), 'prediction_groups'];
    },
    async create({ seed, conformance }) {
      const { createHubFake } = await import('@mlclients/hub-client/mocks');
      return createHubFake({
        seed: seed.resources,
        ...(seed.tokens ? { tokens: seed.tokens } : {}),
        ...(seed.tokenProjects ? { tokenProjects: seed.tokenProjects } : {}),
        conformance,
      });
    },
  },
  nucleus: {
    spec: 'openapi/nucleus.yaml',
    async resources() {
      return ['datasets', 'models'];
    },
    async create({ seed, conformance }) {
      const { createNucleusFake } = await import('@mlclients/nucleus-client/mocks');
      return createNucleusFake({
        seed: seed.resources,
        ...(seed.tokens ? { apiKeys: seed.tokens } : {}),
        conformance,
      });
    },
  },
  sc: {
    spec: 'openapi/sc.yaml',
    async resources() {
      return [];
    },
    async create({ seed, conformance }) {
      const { createScFake } = await import('@mlclients/sc-client/mocks');
      // SC_FAKE_VERSION picks the server the fake plays: 1.1 (default), 1.2, or Geti (2.x).
      const version = process.env.SC_FAKE_VERSION;
      return createScFake({
        ...(seed.tokens ? { tokens: seed.tokens } : {}),
        ...(version ? { version } : {}),
        conformance,
      });
    },
  },
};

/** The registered service names, for help texts and errors. */
export function serviceNames(): string[] {
  return Object.keys(services).sort();
}
