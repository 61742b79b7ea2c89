using System.Collections.Frozen;

namespace RevOps.Server.Console;

/// <summary>The console's stylesheet and script, embedded in the server assembly: nothing to install or build at run time.</summary>
public static class ConsoleAssets
{
    static readonly FrozenDictionary<string, (byte[] Body, string Type)> Files = new Dictionary<string, (byte[], string)>
    {
        ["console.css"] = (Read("console.css"), "text/css; charset=utf-8"),
        ["console.js"] = (Read("console.js"), "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary();

    public static IResult Serve(string name, HttpContext http)
    {
        if (!Files.TryGetValue(name, out var file)) return Results.NotFound();
        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Bytes(file.Body, file.Type);
    }

    static byte[] Read(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream("RevOps.Server.Console.Assets." + name)
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded in the server assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
