/**
 * `sc`: the command line of the SC / Geti client (commander, cli-progress, cli-table3 as the repo's other CLIs).
 * Credentials come from options or the environment (`SC_HOST`, `SC_USERNAME`, `SC_PASSWORD`, `SC_TOKEN`,
 * `SC_WORKSPACE`); prefer the environment for the password. Nothing is stored on disk: `login` only checks them.
 */
import { applyCliConventions } from '@mlclients/package-core/cli';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { Command, Option } from 'commander';
import { ScClient } from '../client.js';
import type { FilterCriterion } from '../lib/filter-items.js';
import type { Progress } from '../lib/types.js';

interface GlobalOptions {
  host?: string;
  username?: string;
  password?: string;
  token?: string;
  workspace?: string;
  insecure?: boolean;
  json?: boolean;
  concurrency?: string;
}

/** The output stream (tests pass their own). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Show progress bars (a TTY and no --json). */
  interactive: boolean;
  /** The client factory (tests inject a fetch). */
  client?: (options: ConstructorParameters<typeof ScClient>[0]) => ScClient;
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  interactive: Boolean(process.stderr.isTTY),
};

export function createProgram(io: CliIo = defaultIo): Command {
  const program = new Command('sc')
    .description(
      'Sonoma Creek / Intel Geti: log in, list projects, back up and restore projects, create projects from COCO',
    )
    .option('--host <host>', 'server, e.g. https://sc.example.com (env SC_HOST)')
    .option('--username <name>', 'user name (env SC_USERNAME)')
    .option('--password <password>', 'password (env SC_PASSWORD; prefer the environment)')
    .option('--token <token>', 'personal access token (env SC_TOKEN)')
    .option('--workspace <id-or-name>', 'workspace (env SC_WORKSPACE) [default: "Default Workspace"]')
    .option('--insecure', 'do not verify the server TLS certificate')
    .option('--json', 'print JSON instead of tables and bars')
    .option('--concurrency <n>', 'transfers at once', '8')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  const g = () => program.opts<GlobalOptions>();
  const client = () => {
    const o = g();
    const options = {
      host: (o.host ?? process.env.SC_HOST) as string,
      username: o.username,
      password: o.password,
      token: o.token,
      workspace: o.workspace,
      ...(o.insecure ? { verifyTls: false } : {}),
    };
    if (!options.host) throw new Error('no server: pass --host or set SC_HOST');
    return io.client ? io.client(options) : new ScClient(options);
  };
  const concurrency = () => {
    const n = Number(g().concurrency);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--concurrency: expected a whole number >= 1, got "${g().concurrency}"`);
    return n;
  };
  const print = (value: unknown, human: () => string) =>
    io.out(g().json ? `${JSON.stringify(value, null, 2)}\n` : human());
  const progress = () => {
    if (g().json || !io.interactive) return { onProgress: undefined, stop: () => {} };
    const bar = new SingleBar({
      format: '{phase} [{bar}] {value}/{total} {item}',
      hideCursor: true,
      stream: process.stderr,
    });
    let started = false;
    return {
      onProgress: (p: Progress) => {
        if (!started) {
          bar.start(p.total, 0, { phase: p.phase, item: '' });
          started = true;
        }
        bar.setTotal(p.total);
        bar.update(p.done, { phase: p.phase, item: p.item ?? '' });
      },
      stop: () => started && bar.stop(),
    };
  };
  const withProgress = async <T>(
    fn: (onProgress: ((p: Progress) => void) | undefined) => Promise<T>,
  ): Promise<T> => {
    const p = progress();
    try {
      return await fn(p.onProgress);
    } finally {
      p.stop();
    }
  };

  program
    .command('login')
    .description(
      'check the credentials and show the server: version, API path, workspace (nothing is stored)',
    )
    .action(async () => {
      const sc = client();
      const info = await sc.serverInfo();
      print(
        info,
        () =>
          `logged in to ${sc.session.origin}: ${info.geti ? 'Geti' : 'SC'} ${info.productVersion}, ${info.apiPath}, workspace ${info.workspaceId} (${info.auth})\n`,
      );
      await sc.logout();
    });

  const projects = program.command('projects').description('projects of the workspace');
  projects
    .command('list')
    .description('list the projects')
    .action(async () => {
      const sc = client();
      const { listProjects } = await import('../lib/api.js');
      const list = await listProjects(sc);
      print(list, () => {
        const table = new Table({ head: ['name', 'id', 'tasks', 'dataset'] });
        for (const p of list) {
          table.push([
            p.name,
            p.id,
            p.pipeline.tasks
              .filter((t) => t.task_type !== 'dataset' && t.task_type !== 'crop')
              .map((t) => t.task_type)
              .join(' -> '),
            p.datasets[0]?.id ?? '',
          ]);
        }
        return `${table.toString()}\n`;
      });
    });

  program
    .command('download')
    .description('back up a project into a folder (resumable; writes a quilt3-compatible manifest)')
    .argument('<project>', 'project name')
    .argument('<folder>', 'target folder')
    .action(async (project: string, folder: string) => {
      const sc = client();
      const r = await withProgress((onProgress) =>
        sc.downloadProject(project, folder, {
          concurrency: concurrency(),
          ...(onProgress ? { onProgress } : {}),
        }),
      );
      print(
        r,
        () =>
          `downloaded ${r.downloaded} media (${r.skipped} already there), ${r.annotations} annotations into ${folder}; top hash ${r.topHash}\n`,
      );
    });

  program
    .command('upload')
    .description('restore a project from a backup folder (verified against its manifest first)')
    .argument('<folder>', 'backup folder')
    .option('--name <project>', 'name of the new project [default: the one in project.json]')
    .option('--no-auto-train', 'leave auto-training off')
    .action(async (folder: string, o: { name?: string; autoTrain: boolean }) => {
      const sc = client();
      const r = await withProgress((onProgress) =>
        sc.uploadProject(folder, {
          concurrency: concurrency(),
          enableAutoTrain: o.autoTrain,
          ...(o.name ? { projectName: o.name } : {}),
          ...(onProgress ? { onProgress } : {}),
        }),
      );
      print(
        {
          project: r.project.id,
          name: r.project.name,
          uploaded: r.uploaded,
          skipped: r.skipped,
          annotations: r.annotations,
        },
        () =>
          `project "${r.project.name}" (${r.project.id}): uploaded ${r.uploaded} media (${r.skipped} already there), ${r.annotations} annotations\n`,
      );
    });

  program
    .command('download-all')
    .description('back up every project into <folder>/<project name>')
    .argument('<folder>', 'target folder')
    .action(async (folder: string) => {
      const sc = client();
      const r = await withProgress((onProgress) =>
        sc.downloadAllProjects(folder, { concurrency: concurrency(), ...(onProgress ? { onProgress } : {}) }),
      );
      print(
        r,
        () =>
          `${r.map((x) => `${x.folder}: ${x.downloaded} downloaded, ${x.skipped} already there`).join('\n')}\n`,
      );
    });

  program
    .command('upload-all')
    .description('restore every backup found in the direct subfolders of <folder> (auto-training off)')
    .argument('<folder>', 'folder of backups')
    .action(async (folder: string) => {
      const sc = client();
      const r = await withProgress((onProgress) =>
        sc.uploadAllProjects(folder, { concurrency: concurrency(), ...(onProgress ? { onProgress } : {}) }),
      );
      print(
        r.map((x) => ({
          project: x.project.id,
          name: x.project.name,
          uploaded: x.uploaded,
          skipped: x.skipped,
        })),
        () =>
          `${r.map((x) => `"${x.project.name}": ${x.uploaded} uploaded, ${x.skipped} already there`).join('\n')}\n`,
      );
    });

  program
    .command('create-from-coco')
    .description(
      'create a project from a COCO instances file and its images folder (validated as a whole first)',
    )
    .requiredOption('--name <project>', 'project name')
    .requiredOption(
      '--type <type>',
      'detection, segmentation, classification, anomaly_classification, ... or a chain a_to_b',
    )
    .requiredOption('--images <folder>', 'folder that holds the images')
    .requiredOption('--annotations <file>', 'COCO instances JSON')
    .option('--labels <names>', 'comma-separated labels [default: every dataset label]')
    .addOption(
      new Option('--filter <criterion>', 'keep items with any/all/none/exactly one of --labels').choices([
        'OR',
        'AND',
        'NOT',
        'XOR',
      ]),
    )
    .option('--upload <n>', 'number of images to upload')
    .option('--annotate <n>', 'number of images to annotate')
    .option('--no-auto-train', 'leave auto-training off')
    .action(
      async (o: {
        name: string;
        type: string;
        images: string;
        annotations: string;
        labels?: string;
        filter?: FilterCriterion;
        upload?: string;
        annotate?: string;
        autoTrain: boolean;
      }) => {
        const sc = client();
        const labels = o.labels
          ?.split(',')
          .map((l) => l.trim())
          .filter(Boolean);
        const common = {
          projectName: o.name,
          projectType: o.type,
          imagesPath: o.images,
          annotationsPath: o.annotations,
          enableAutoTrain: o.autoTrain,
          concurrency: concurrency(),
          ...(o.filter ? { filter: o.filter } : {}),
          ...(o.upload ? { numberOfImagesToUpload: Number(o.upload) } : {}),
          ...(o.annotate ? { numberOfImagesToAnnotate: Number(o.annotate) } : {}),
        };
        const project = await withProgress((onProgress) =>
          o.type.includes('_to_')
            ? sc.createTaskChainProjectFromDataset({ ...common, ...(onProgress ? { onProgress } : {}) })
            : sc.createProjectSingleTaskFromDataset({
                ...common,
                ...(labels ? { labels } : {}),
                ...(onProgress ? { onProgress } : {}),
              }),
        );
        print(
          { id: project.id, name: project.name },
          () => `created project "${project.name}" (${project.id})\n`,
        );
      },
    );

  // Last, once every command exists: --version, global options in every help, `sc completion <shell>`.
  return applyCliConventions(program, { packageJson: new URL('../../package.json', import.meta.url) });
}
