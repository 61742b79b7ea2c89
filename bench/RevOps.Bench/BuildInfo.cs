using System.Diagnostics;
using System.Text.Json;

namespace RevOps.Bench;

/// <summary>What the reports say about the machine and the server build they measured.</summary>
public static class BuildInfo
{
    public static MachineInfo Machine(string note) => new(Environment.ProcessorCount, CpuModel(), System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), note);

    /// <summary>The command line that reproduces this run.</summary>
    public static string Command(IEnumerable<string> args) =>
        "dotnet run -c Release --project bench/RevOps.Bench --" + string.Concat(args.Select(a => " " + (a.Contains(' ') ? $"\"{a}\"" : a)));

    public static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string? ProductVersion(string dll)
    {
        try
        {
            return FileVersionInfo.GetVersionInfo(dll).ProductVersion;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The GC mode the server's runtimeconfig.json asks for (workstation unless it says server).</summary>
    public static string ServerGc(string dll)
    {
        string config = Path.ChangeExtension(dll, ".runtimeconfig.json");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(config));
            bool server = json.RootElement.TryGetProperty("runtimeOptions", out var ro) && ro.TryGetProperty("configProperties", out var cp)
                && cp.TryGetProperty("System.GC.Server", out var gc) && gc.ValueKind == JsonValueKind.True;
            return server ? "server" : "workstation";
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return "unknown";
        }
    }
}
