using System.Reflection;

namespace RevOps.Storage;

/// <summary>One numbered SQL script (NNNN_name.sql) embedded from a dialect's Migrations folder.</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>The scripts of Sqlite/Migrations or Postgres/Migrations (<paramref name="dialectFolder"/>), in version order.</summary>
    public static IReadOnlyList<MigrationScript> Embedded(string dialectFolder)
    {
        var assembly = Assembly.GetExecutingAssembly();
        string marker = "." + dialectFolder + ".Migrations.";
        var list = new List<MigrationScript>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(marker) && n.EndsWith(".sql")))
        {
            string file = name[(name.IndexOf(marker) + marker.Length)..].TrimStart('_');
            int version = int.Parse(file[..file.IndexOf('_')]);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add(new MigrationScript(version, file, reader.ReadToEnd()));
        }
        return list.OrderBy(m => m.Version).ToList();
    }
}
