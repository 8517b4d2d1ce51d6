/**
 * The Validate routes (scenario tests, eval functions, model metrics) that the Nucleus fake does not serve, answered
 * from fixed data in front of it; every other request goes to the fake. The CLI's client runs with
 * `validate: 'error'`, so each answer here must match openapi/nucleus.yaml, as the real server's would.
 */
export interface ValidateData {
  tests: Array<{ id: string; name: string; slice_id: string }>;
  /** Criteria per test id. */
  metrics: Record<
    string,
    Array<{ eval_function_id: string; threshold: number | null; threshold_comparison: string | null }>
  >;
  evalFunctions: Array<{ id: string; name: string }>;
  /** The jobs `POST validate/{model}/metrics` starts, with the status each ends in. */
  metricJobs: Array<{ id: string; ends: 'Completed' | 'Errored_Server' }>;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function withValidate(
  data: ValidateData,
  fake: (request: Request) => Promise<Response>,
): typeof globalThis.fetch {
  const polls = new Map<string, number>();
  return async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.replace(/^.*\/v1\/nucleus\//, '');
    if (request.method === 'GET' && path === 'validate/scenario_test/details') return json(data.tests);
    const m = /^validate\/scenario_test\/([^/]+)\/metrics$/.exec(path);
    if (request.method === 'GET' && m)
      return json({
        scenario_test_metrics: (data.metrics[decodeURIComponent(m[1]!)] ?? []).map((c) => ({
          scenario_test_id: decodeURIComponent(m![1]!),
          eval_func_arguments: {},
          ...c,
        })),
      });
    if (request.method === 'GET' && path === 'validate/eval_fn')
      return json({
        eval_functions: data.evalFunctions.map((f) => ({
          ...f,
          is_public: true,
          is_external_function: false,
          user_id: 'user_1',
          serialized_fn: null,
          raw_source: null,
        })),
      });
    if (request.method === 'POST' && /^validate\/[^/]+\/metrics$/.test(path))
      return json(
        data.metricJobs.map((j) => ({
          job_id: j.id,
          job_last_known_status: 'Queued',
          job_type: 'modelMetrics',
          job_creation_time: '2026-11-30T04:00:00.000Z',
        })),
      );
    const job = data.metricJobs.find((j) => path === `job/${j.id}` || path === `job/${j.id}/errors`);
    if (job && path.endsWith('/errors'))
      return json(job.ends === 'Completed' ? [] : ['{"error": "metric computation failed: slice is empty"}']);
    if (job) {
      const n = (polls.get(job.id) ?? 0) + 1;
      polls.set(job.id, n);
      const status = n < 2 ? 'Running' : job.ends;
      return json({
        job_id: job.id,
        status,
        message: status === 'Errored_Server' ? { final_error: 'metric computation failed' } : null,
        job_progress: status === 'Completed' ? '1.00' : '0.00',
        completed_steps: status === 'Completed' ? 1 : 0,
        total_steps: 1,
      });
    }
    return fake(request);
  };
}
