using System.Globalization;
using RevOps.Bench.Dataset;

namespace RevOps.Bench.Cluster;

/// <summary>2 nodes against 1 on PostgreSQL, per scenario and concurrency, with what bounded the pair.</summary>
public sealed record ScalingResult(string Scenario, int Concurrency,
    double OneNodeCallsPerSecond, double TwoNodesCallsPerSecond, double Ratio,
    double? OneNodeP50Ms, double? TwoNodesP50Ms, double? OneNodeP99Ms, double? TwoNodesP99Ms,
    double? SqliteCallsPerSecond, double? SqliteP99Ms,
    CpuSplit OneNodeCpu, CpuSplit TwoNodesCpu, bool? Saturated, string Bound, ScalingEstimate? Estimate);

/// <summary>Cores used during a phase by each part; Total is the whole machine's busy CPU.</summary>
public sealed record CpuSplit(double NodeA, double NodeB, double? Postgres, double Client, double? Other, double? Total);

/// <summary>
/// An estimate, not a measurement: what 2 nodes would give against 1 if each node had <see cref="CoresPerNode"/>
/// cores of its own and PostgreSQL and the client ran elsewhere with cores to spare, derived from the CPU per
/// call measured here (node CPU per call with 1 node and with 2, PostgreSQL's CPU per call with 2).
/// </summary>
public sealed record ScalingEstimate(int CoresPerNode, double NodeCpuUsPerCallOneNode, double NodeCpuUsPerCallTwoNodes, double? PostgresCpuUsPerCall,
    double Ratio, double OneNodeCallsPerSecond, double TwoNodesCallsPerSecond, double? PostgresCoresNeeded, string Note);

public static class ClusterScaling
{
    /// <summary>A machine counts as saturated when this share of its cores was busy.</summary>
    const double SaturatedShare = 0.9;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IReadOnlyList<ScalingResult> Compute(IReadOnlyList<ClusterPhase> phases, int cores)
    {
        var results = new List<ScalingResult>();
        foreach (var two in phases.Where(p => p.Backend == ClusterPhase.Postgres && p.Nodes == 2))
        {
            var one = phases.FirstOrDefault(p => p.Backend == ClusterPhase.Postgres && p.Nodes == 1 && p.Scenario == two.Scenario && p.Concurrency == two.Concurrency);
            if (one is null) continue;
            var sqlite = phases.FirstOrDefault(p => p.Backend == ClusterPhase.Sqlite && p.Scenario == two.Scenario && p.Concurrency == two.Concurrency);
            double ratio = one.Result.CallsPerSecond > 0 ? Math.Round(two.Result.CallsPerSecond / one.Result.CallsPerSecond, 2) : 0;
            var split = Split(two);
            bool? saturated = split.Total is { } total ? total >= SaturatedShare * cores : null;
            results.Add(new ScalingResult(two.Scenario, two.Concurrency, one.Result.CallsPerSecond, two.Result.CallsPerSecond, ratio,
                one.Result.P50Ms, two.Result.P50Ms, one.Result.P99Ms, two.Result.P99Ms, sqlite?.Result.CallsPerSecond, sqlite?.Result.P99Ms,
                Split(one), split, saturated, Bound(two.Scenario, split, saturated, cores), Estimate(one, two, cores)));
        }
        return results;
    }

    /// <summary>Whether the scenario writes: one tenant's writes commit one at a time on PostgreSQL, on any number of nodes.</summary>
    public static bool Writes(string scenario) => scenario is DatasetScenarios.CreateContact or DatasetScenarios.Mixed or DatasetScenarios.UpdateStage or DatasetScenarios.RestPost;

    static CpuSplit Split(ClusterPhase p) => new(p.NodeCpuCores.GetValueOrDefault(ClusterNodes.Name(0)), p.NodeCpuCores.GetValueOrDefault(ClusterNodes.Name(1)),
        p.PostgresCpuCores, p.Result.ClientCpuCores, p.Result.OtherCpuCores, p.MachineCpuCores);

    /// <summary>What bounds the 2-node figure, in words, from the measured CPU split.</summary>
    static string Bound(string scenario, CpuSplit s, bool? saturated, int cores)
    {
        string parts = string.Create(Inv,
            $"node A {s.NodeA:0.00}, node B {s.NodeB:0.00}, PostgreSQL {F(s.Postgres)}, client {s.Client:0.00}, other {F(s.Other)}");
        // Cores other work took are cores the run did not have: say so where it matters.
        string busyMachine = s.Other is > 0.1 ? string.Create(Inv, $"; other processes took {s.Other:0.00} of them, so the machine was not quiet") : "";
        return saturated switch
        {
            true => string.Create(Inv, $"the {cores} cores are saturated ({s.Total:0.00} busy): {parts}{busyMachine}"),
            false when Writes(scenario) => string.Create(Inv,
                $"not CPU: {s.Total:0.00} of {cores} cores busy ({parts}); one tenant's writes commit one at a time on PostgreSQL (its row is locked from the change-sequence update through COMMIT and its fsync), on any number of nodes"),
            false => string.Create(Inv, $"not CPU: {s.Total:0.00} of {cores} cores busy ({parts}); the calls wait rather than compute"),
            null => $"CPU split unknown ({parts})",
        };
    }

    static ScalingEstimate? Estimate(ClusterPhase one, ClusterPhase two, int cores)
    {
        if (one.ServingNodeCpuUsPerCall is not { } us1 || two.ServingNodeCpuUsPerCall is not { } us2 || us1 <= 0 || us2 <= 0) return null;
        // Two nodes do at most twice one node's work; a lower cost per call with 2 nodes (less queueing per node) is capped there.
        double ratio = Math.Round(Math.Min(2.0, 2.0 * us1 / us2), 2);
        double oneNode = cores * 1e6 / us1;
        double twoNodes = oneNode * ratio;
        double? pgCores = two.PostgresCpuUsPerCall is { } pg ? Math.Round(twoNodes * pg / 1e6, 2) : null;
        string note = Writes(two.Scenario)
            ? "CPU only. The writes also wait for the tenant row lock (one commit at a time per tenant, fsync included), which more nodes do not lift: for one tenant, expect no more writes per second than the 1-node run gave."
            : "CPU only: the database is assumed to have the cores and I/O to spare. Conservative: the 2-node CPU per call was measured with the nodes time-sharing this machine's cores.";
        return new ScalingEstimate(cores, us1, us2, two.PostgresCpuUsPerCall, ratio, Math.Round(oneNode), Math.Round(twoNodes), pgCores, note);
    }

    static string F(double? value) => value is { } v ? v.ToString("0.00", Inv) : "-";
}
