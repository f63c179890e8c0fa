/**
 * What scoring a run in the worker costs, measured interleaved in one process: the fixture
 * graph's evaluators (`tests/fixtures/user_graph/evaluators.ts`: an exact match, and an openevals
 * LLM-as-judge whose judge answers from a loopback OpenAI server) run with `evaluateRun` on one
 * run's output N times in this process and N times in the graph's worker (`bench --graph
 * --evaluator`'s path: the worker runs the evaluator on the output it kept, the judge's callbacks
 * forwarded and replayed into the evaluation's handler here), alternately. Prints the median time
 * of one `evaluateRun` each way, per evaluator, and checks that both ways metered the judge's call
 * alike (its tokens).
 *
 * `deno run -A tools/evaluation_overhead.ts [runs]`
 *
 * @module
 */
import { evaluateRun } from "../evaluate/evaluate_run.ts";
import type { NamedEvaluator } from "../evaluate/evaluator.ts";
import { remoteEvaluators } from "../cli/bench/evaluator_source.ts";
import { ProjectGraph } from "../worker/client.ts";
import { workerFlags } from "../worker/project.ts";
import { startJudgeServer } from "../tests/support/judge.ts";

const runs = Number(Deno.args[0] ?? 200);
const root = new URL("../", import.meta.url).pathname;
const fixture = new URL("../tests/fixtures/user_graph/", import.meta.url);
await using server = startJudgeServer();
const env = { JUDGE_BASE_URL: server.origin, USER_GRAPH_ENV: "loaded" };
for (const [name, value] of Object.entries(env)) Deno.env.set(name, value);
const local = await import(new URL("evaluators.ts", fixture).href);
const EXPORTS = ["exactMatch", "correctness"] as const;

const { graph: remote, ready } = await ProjectGraph.start({
  flags: workerFlags({
    dir: fixture.pathname,
    langgraphJson: null,
    kind: "deno",
    denoConfig: `${root}deno.json`,
    envFile: null,
    envVars: env,
    importMap: null,
    warnings: [],
  }),
  cwd: fixture.pathname,
  env,
  spec: {
    moduleUrl: new URL("src/agent.ts", fixture).href,
    exportName: "graph",
    projectDir: fixture.pathname,
    factoryConfig: { configurable: {} },
    evaluators: EXPORTS.map((exportName) => ({
      moduleUrl: new URL("evaluators.ts", fixture).href,
      exportName,
      flag: `./evaluators.ts:${exportName}`,
    })),
  },
  ref: "agent",
  loadTimeoutMs: 60_000,
  runTimeoutMs: 0,
  onOutput: (text) => Deno.stderr.writeSync(new TextEncoder().encode(text)),
});
const inWorker = remoteEvaluators(remote, ready.evaluators);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const times: Record<string, { inProcess: number[]; inWorker: number[] }> = {};
const judgeTokens = { inProcess: new Set<string>(), inWorker: new Set<string>() };
const inputs = { question: "What is the capital of Peru?" };
const referenceOutputs = { answer: "ok" };
for (let i = 0; i < runs + 20; i++) {
  // One run in the worker: its output is kept there for its evaluations.
  const outputs = await remote.invoke(inputs, { configurable: { thread_id: `run-${i}` } });
  for (const [index, exportName] of EXPORTS.entries()) {
    const ways: [keyof typeof judgeTokens, NamedEvaluator][] = [
      ["inProcess", { name: exportName, evaluate: local[exportName] }],
      ["inWorker", inWorker[index]],
    ];
    for (const [way, evaluator] of ways) {
      const started = performance.now();
      const record = await evaluateRun([evaluator], { inputs, outputs, referenceOutputs });
      const tookMs = performance.now() - started;
      if (record.scores.some((score) => score.error !== null)) {
        throw new Error(`${way} ${exportName}: ${JSON.stringify(record.scores)}`);
      }
      for (const cost of record.costs) {
        judgeTokens[way].add(`${cost.totals.inputTokens}/${cost.totals.outputTokens}`);
      }
      if (i < 20) continue; // warm-up
      times[exportName] ??= { inProcess: [], inWorker: [] };
      times[exportName][way].push(tookMs);
    }
  }
}
await remote.close();
console.log(
  `${runs} evaluations of each evaluator each way, interleaved; load average ` +
    Deno.loadavg().map((load) => load.toFixed(1)).join(" "),
);
for (const [exportName, { inProcess, inWorker }] of Object.entries(times)) {
  const a = median(inProcess);
  const b = median(inWorker);
  console.log(
    `${exportName}: evaluateRun median ${a.toFixed(3)} ms in process, ${b.toFixed(3)} ms in the ` +
      `worker (+${(b - a).toFixed(3)} ms, x${(b / a).toFixed(2)})`,
  );
}
console.log(
  `the judge's call as metered (input/output tokens): in process ${[...judgeTokens.inProcess]}, ` +
    `in the worker ${[...judgeTokens.inWorker]}`,
);
