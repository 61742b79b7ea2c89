namespace RevOps.Bench;

/// <summary>Writes a run's report as &lt;out&gt;/&lt;date&gt;-&lt;name&gt;.json and .md and prints the markdown.</summary>
public static class ReportFiles
{
    public static async Task<string> WriteAsync(string outDirectory, DateTimeOffset started, string name, string json, string markdown, CancellationToken ct)
    {
        Directory.CreateDirectory(outDirectory);
        string stem = Path.Combine(outDirectory, $"{started:yyyy-MM-dd}-{name}");
        await File.WriteAllTextAsync(stem + ".json", json + "\n", ct);
        await File.WriteAllTextAsync(stem + ".md", markdown, ct);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] Wrote {stem}.json and {stem}.md");
        return stem;
    }
}
