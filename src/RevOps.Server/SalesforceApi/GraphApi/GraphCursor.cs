using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>Cursors are opaque to clients; ours hold the position after the row they name, so any node can answer the next page.</summary>
public static class GraphCursor
{
    const string Prefix = "c1:";

    public static string Encode(int position) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + position.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The number of rows before the next page, or null when the text is not one of our cursors.</summary>
    public static int? Decode(string? cursor)
    {
        if (cursor is null) return 0;
        if (cursor.Length > 64) return null;
        try
        {
            string text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int position)
                ? position
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
