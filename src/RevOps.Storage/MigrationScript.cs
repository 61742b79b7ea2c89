using System.Reflection;

namespace RevOps.Storage;

/// <summary>
/// One numbered SQL script (NNNN_name.sql) embedded from Migrations/ (the same statement for both engines)
/// or from an engine's own Sqlite/Migrations or Postgres/Migrations (what only that engine can say).
/// </summary>
internal sealed record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>The scripts one engine applies: its own and the shared ones, in version order; a version is one script.</summary>
    public static IReadOnlyList<MigrationScript> For(string engineFolder)
    {
        var all = Embedded("." + engineFolder + ".Migrations.").Concat(Embedded(".Storage.Migrations.")).OrderBy(m => m.Version).ToList();
        var twice = all.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new InvalidOperationException($"Migration {twice.Key} exists twice ({string.Join(", ", twice.Select(m => m.Name))}): a version is either shared or one engine's.");
        return all;
    }

    static IEnumerable<MigrationScript> Embedded(string marker)
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(marker) && n.EndsWith(".sql")))
        {
            string file = name[(name.IndexOf(marker) + marker.Length)..].TrimStart('_');
            int version = int.Parse(file[..file.IndexOf('_')]);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return new MigrationScript(version, file, reader.ReadToEnd());
        }
    }
}
