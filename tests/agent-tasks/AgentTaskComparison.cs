using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>
/// "Before and after" for the agent-task report: when REVOPS_AGENT_TASKS_BEFORE names an earlier
/// report's .json, each task present in both is compared by calls, response bytes and wire bytes,
/// and so is the size of tools/list.
/// </summary>
public static class AgentTaskComparison
{
    public const string Variable = "REVOPS_AGENT_TASKS_BEFORE";

    public static string? Markdown(TaskFigures[] after, ToolsListFigures[] afterLists)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path || !File.Exists(path)) return null;
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var before = root.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("number").GetInt32());
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Before and after (before: `{Path.GetFileName(path)}`, generated {root.GetProperty("generated").GetString()})");
        md.AppendLine();
        md.AppendLine("| Listing | Tools before | Tools after | Bytes before | Bytes after | Change |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var list in root.GetProperty("toolsList").EnumerateArray())
        {
            string listing = list.GetProperty("listing").GetString()!;
            if (afterLists.FirstOrDefault(l => l.Listing == listing) is not { } now) continue;
            long bytes = list.GetProperty("bytes").GetInt64();
            md.AppendLine(CultureInfo.InvariantCulture, $"| `{listing}` | {list.GetProperty("tools").GetInt32()} | {now.Tools} | {bytes:N0} | {now.Bytes:N0} | {Change(bytes, now.Bytes)} |");
        }
        md.AppendLine();
        md.AppendLine("| # | Task | Calls before | Calls after | Response bytes before | after | Change | Wire bytes before | after | Change |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        long rb = 0, ra = 0, wb = 0, wa = 0;
        int cb = 0, ca = 0, n = 0;
        foreach (var task in after)
        {
            if (!before.TryGetValue(task.Number, out var then)) continue;
            int calls = then.GetProperty("calls").GetInt32();
            long response = then.GetProperty("responseBytes").GetInt64(), wire = then.GetProperty("wireBytes").GetInt64();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {task.Number} | {task.Task} | {calls} | {task.Calls} | {response:N0} | {task.ResponseBytes:N0} | {Change(response, task.ResponseBytes)} | {wire:N0} | {task.WireBytes:N0} | {Change(wire, task.WireBytes)} |");
            (cb, ca, rb, ra, wb, wa, n) = (cb + calls, ca + task.Calls, rb + response, ra + task.ResponseBytes, wb + wire, wa + task.WireBytes, n + 1);
        }
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| | **{n} tasks in both** | **{cb}** | **{ca}** | **{rb:N0}** | **{ra:N0}** | **{Change(rb, ra)}** | **{wb:N0}** | **{wa:N0}** | **{Change(wb, wa)}** |");
        return md.ToString();
    }

    static string Change(long before, long after) =>
        before == 0 ? "–" : ((after - before) * 100.0 / before).ToString("+0.0;-0.0;0", CultureInfo.InvariantCulture) + "%";
}
