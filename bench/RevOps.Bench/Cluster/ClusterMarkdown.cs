using System.Globalization;
using System.Text;
using RevOps.Bench.Dataset;

namespace RevOps.Bench.Cluster;

/// <summary>The cluster report as markdown: the 2-node/1-node ratios first, then what bounds them, the estimate, and every phase.</summary>
public static class ClusterMarkdown
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Write(ClusterReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(Inv, $"# RevOps benchmark: PostgreSQL with 1 and 2 nodes, and SQLite ({report.StartedUtc:yyyy-MM-dd})");
        md.AppendLine();
        md.AppendLine(Inv, $"Command: `{report.Command}`");
        md.AppendLine();
        var m = report.Machine;
        md.AppendLine(Inv, $"Machine: {m.LogicalCores} logical cores{(m.CpuModel is null ? "" : $" ({m.CpuModel})")}, {m.Os}, {m.Runtime}, {m.Architecture}. {m.Note}");
        var state = report.MachineState;
        md.AppendLine(Inv, $"Load average (1 min) {F(state.LoadBefore, "0.00")} before the run and {F(state.LoadAfter, "0.00")} after; other processes took at most {F(state.MaxOtherCpuCores, "0.00")} cores in any phase. {state.Note}");
        md.AppendLine();
        md.AppendLine(Inv, $"Server: `{report.ServerPath}`{(report.ServerVersion is null ? "" : $" (version {report.ServerVersion})")}, {report.ServerGc} GC, rate limits lifted out of reach (`--rate-limits` 100,000,000/s for every tier).");
        md.AppendLine(Inv, $"PostgreSQL: {report.Postgres}.");
        var d = report.Dataset;
        md.AppendLine(Inv, $"Tenant: one, generated with `revops demo-data` (seed {d.Seed}): {d.Tenant.Accounts:N0} accounts, {d.Tenant.Contacts:N0} contacts, {d.Tenant.Opportunities:N0} opportunities, {d.Tenant.Tasks:N0} tasks ({d.Records:N0} records; {d.PostgresGenerationSeconds:0.0} s into PostgreSQL). SQLite runs on the same generator's output for the same seed and sizes{(d.SqliteGenerated is { } g ? g ? " (generated in this run)" : " (from the dataset cache)" : "")}.");
        md.AppendLine();
        md.AppendLine("Nodes (each started with `revops serve --db … --urls http://127.0.0.1:PORT --node-id N`, then warmed up alone until its JIT tier-up thread was quiet):");
        md.AppendLine();
        md.AppendLine("| Backend | Node | --node-id | pid | URL | /ready after | JIT warm-up |");
        md.AppendLine("|---|---|---:|---:|---|---:|---:|");
        foreach (var n in report.Nodes)
            md.AppendLine(Inv, $"| {n.Backend} | {n.Name} | {(n.NodeId is { } id ? id.ToString(Inv) : "-")} | {n.Pid} | {n.Url} | {n.ReadySeconds * 1000:0} ms | {n.JitWarmupSeconds:0} s |");
        md.AppendLine();
        md.AppendLine(Inv, $"Each phase: {report.WarmupSeconds:0.#} s warm-up (discarded), then {report.DurationSeconds} s measured, closed loop; calls/s and latencies count correct answers only. ");
        md.AppendLine("Both PostgreSQL nodes run throughout: a 1-node phase sends every client to node A (node B idles, its CPU is shown), a 2-node phase gives client i to node i mod 2. ");
        md.AppendLine("Each 2-node phase runs right after the 1-node phase of the same scenario and concurrency. CPU is CPU seconds per wall second (cores) from /proc over the measured window: ");
        md.AppendLine("each node's process, PostgreSQL's postmaster with all its children (backends, WAL writer, checkpointer; exited backends through the postmaster's reaped-children time), the load generator, and the rest of the machine.");
        md.AppendLine(Inv, $"The mixed workload: {report.MixedWorkload}.");
        md.AppendLine();

        if (report.WakeUp is { } w)
        {
            md.AppendLine("## Cross-node wake-up without Redis (PostgreSQL LISTEN/NOTIFY)");
            md.AppendLine();
            md.AppendLine(Inv, $"A change stream open on node B, then {w.Samples + w.Missed} REST creates on node A one at a time (before the load phases), each timed from sending it until its change arrived on B's stream. Without a notice B would see it at its next re-read (15 s).");
            md.AppendLine();
            md.AppendLine("| Samples | write on A (p50) | sent → on B's stream p50 | p90 | max | after A's answer p50 | p90 | missed (5 s) |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            md.AppendLine(Inv, $"| {w.Samples} | {w.WriteMs:0.##} ms | **{w.ArrivalMs:0.##} ms** | {w.ArrivalP90Ms:0.##} ms | {w.ArrivalMaxMs:0.##} ms | {w.AfterAnswerMs:0.##} ms | {w.AfterAnswerP90Ms:0.##} ms | {w.Missed} |");
            md.AppendLine();
        }
        md.AppendLine("## 2 nodes against 1 (PostgreSQL)");
        md.AppendLine();
        md.AppendLine("| Scenario | c | 1 node calls/s | 2 nodes calls/s | ratio 2/1 | p50 ms 1 → 2 nodes | p99 ms 1 node | p99 ms 2 nodes | SQLite 1 node calls/s | SQLite p99 ms |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in report.Scaling)
            md.AppendLine(Inv, $"| {DatasetScenarios.Label(s.Scenario)} | {s.Concurrency} | {s.OneNodeCallsPerSecond:N0} | {s.TwoNodesCallsPerSecond:N0} | **{s.Ratio:0.00}** | {F(s.OneNodeP50Ms)} → {F(s.TwoNodesP50Ms)} | {F(s.OneNodeP99Ms)} | {F(s.TwoNodesP99Ms)} | {(s.SqliteCallsPerSecond is { } q ? q.ToString("N0", Inv) : "-")} | {F(s.SqliteP99Ms)} |");
        md.AppendLine();
        md.AppendLine("## What bounds the 2-node figures (measured, cores)");
        md.AppendLine();
        foreach (var s in report.Scaling)
            md.AppendLine(Inv, $"- **{DatasetScenarios.Label(s.Scenario)}, c={s.Concurrency}:** {s.Bound}. With 1 node: node A {s.OneNodeCpu.NodeA:0.00}, node B (idle) {s.OneNodeCpu.NodeB:0.00}, PostgreSQL {F(s.OneNodeCpu.Postgres, "0.00")}, client {s.OneNodeCpu.Client:0.00}, other {F(s.OneNodeCpu.Other, "0.00")}, total {F(s.OneNodeCpu.Total, "0.00")}.");
        md.AppendLine();

        var estimates = report.Scaling.Where(s => s.Estimate is not null).ToList();
        if (estimates.Count > 0)
        {
            var first = estimates[0].Estimate!;
            md.AppendLine("## Estimate: the ratio where the database is not the bound (not measured)");
            md.AppendLine();
            md.AppendLine(Inv, $"Derived from the CPU per call measured above, assuming each node has {first.CoresPerNode} cores of its own, and the client and PostgreSQL run elsewhere with cores to spare: ");
            md.AppendLine(Inv, $"one node gives {first.CoresPerNode} cores / (its CPU per call with 1 node); two give that times the ratio 2 × (CPU per call with 1 node) / (CPU per call with 2 nodes), at most 2. ");
            md.AppendLine("PostgreSQL would then need (2-node throughput × its CPU per call) cores.");
            md.AppendLine();
            md.AppendLine("| Scenario | c | node CPU µs/call, 1 node | node CPU µs/call, 2 nodes | PostgreSQL CPU µs/call | estimated ratio | est. 1 node calls/s | est. 2 nodes calls/s | PostgreSQL cores needed | note |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var s in estimates)
            {
                var e = s.Estimate!;
                md.AppendLine(Inv, $"| {DatasetScenarios.Label(s.Scenario)} | {s.Concurrency} | {e.NodeCpuUsPerCallOneNode:0} | {e.NodeCpuUsPerCallTwoNodes:0} | {F(e.PostgresCpuUsPerCall, "0")} | ~{e.Ratio:0.00} | ~{e.OneNodeCallsPerSecond:N0} | ~{e.TwoNodesCallsPerSecond:N0} | {F(e.PostgresCoresNeeded, "0.0")} | {e.Note} |");
            }
            md.AppendLine();
        }

        md.AppendLine("## Every phase");
        md.AppendLine();
        md.AppendLine("| Topology | Scenario | c | calls/s | p50 ms | p90 ms | p99 ms | errors | node A | node B | PostgreSQL | client | other | machine | serving nodes µs/call | PostgreSQL µs/call | client µs/call |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in report.Phases)
        {
            var r = p.Result;
            md.AppendLine(Inv, $"| {p.Topology} | {DatasetScenarios.Label(p.Scenario)} | {p.Concurrency} | {r.CallsPerSecond:N0} | {F(r.P50Ms)} | {F(r.P90Ms)} | {F(r.P99Ms)} | {r.Errors} | {Cores(p, 0)} | {Cores(p, 1)} | {F(p.PostgresCpuCores, "0.00")} | {r.ClientCpuCores:0.00} | {F(r.OtherCpuCores, "0.00")} | {F(p.MachineCpuCores, "0.00")} | {F(p.ServingNodeCpuUsPerCall, "0")} | {F(p.PostgresCpuUsPerCall, "0")} | {F(p.ClientCpuUsPerCall, "0")} |");
        }
        var failed = report.Phases.Where(p => p.Result.Errors > 0 || p.Result.WarmupErrors > 0).ToList();
        if (failed.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Errors:");
            foreach (var p in failed)
                md.AppendLine(Inv, $"- {p.Topology}, {DatasetScenarios.Label(p.Scenario)} c={p.Concurrency}: {p.Result.Errors} measured, {p.Result.WarmupErrors} in warm-up; first: `{(p.Result.FirstError ?? p.Result.FirstWarmupError ?? "?").ReplaceLineEndings(" ")}`");
        }
        return md.ToString();
    }

    static string Cores(ClusterPhase p, int node) => p.NodeCpuCores.TryGetValue(ClusterNodes.Name(node), out double cores) ? cores.ToString("0.00", Inv) : "-";

    static string F(double? value, string format = "0.###") => value is { } v ? v.ToString(format, Inv) : "-";
}
