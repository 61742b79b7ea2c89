using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using RevOps.Domain.Errors;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// nextCursor of a list: where the next page starts and the total from the first page, tied to
/// the request's filters so a cursor cannot be replayed against a different search.
/// </summary>
public static class PageCursor
{
    public const string Argument = "cursor";
    static readonly HashSet<string> NotFiltering = [Argument, "limit", "fields"];

    public static string Fingerprint(string tool, ToolArguments args)
    {
        var text = new StringBuilder(tool);
        foreach (var (name, value) in args.All.Where(a => !NotFiltering.Contains(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal))
            text.Append('\n').Append(name).Append('=').Append(Json.JsonText.Canonical(value));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }

    public static string Encode(int offset, long total, string fingerprint) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{offset}:{total}:{fingerprint}"));

    public static CrmResult<(int Offset, long? Total)> Decode(string? cursor, string fingerprint)
    {
        if (string.IsNullOrWhiteSpace(cursor)) return (0, null);
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor.Trim())).Split(':');
            if (parts.Length == 3 && int.TryParse(parts[0], out int offset) && offset >= 0 && long.TryParse(parts[1], out long total))
                return parts[2] == fingerprint
                    ? (offset, total)
                    : new CrmError(ErrorCodes.InvalidArgument, "This cursor belongs to a different search. Send the same filters as the call that returned it, or leave cursor out to start over.", Argument);
        }
        catch (FormatException)
        {
        }
        return new CrmError(ErrorCodes.InvalidArgument, "cursor is not one this server returned. Send the nextCursor value exactly as received, or leave it out to start from the first page.", Argument);
    }
}
