using System.Buffers.Text;
using System.Text;
using RevOps.Domain.Errors;

namespace RevOps.Server.Mcp.Framework;

/// <summary>list_changes' nextCursor: the last sequence returned, tied to the call's filters like <see cref="PageCursor"/>.</summary>
public static class ChangeCursor
{
    public static string Encode(long lastSeq, string fingerprint) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"c{lastSeq}:{fingerprint}"));

    /// <summary>The sequence to continue after, or null when no cursor was sent.</summary>
    public static CrmResult<long?> Decode(string? cursor, string fingerprint)
    {
        if (string.IsNullOrWhiteSpace(cursor)) return CrmResult<long?>.Ok(null);
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor.Trim()));
        }
        catch (FormatException)
        {
            text = "";
        }
        var parts = text.Split(':');
        if (parts.Length == 2 && parts[0].StartsWith('c') && long.TryParse(parts[0].AsSpan(1), out long seq) && seq >= 0)
            return parts[1] == fingerprint
                ? seq
                : new CrmError(ErrorCodes.InvalidArgument, "This cursor belongs to a list_changes call with other filters. Send the same filters as the call that returned it, or leave cursor out to start over.", PageCursor.Argument);
        return new CrmError(ErrorCodes.InvalidArgument, "cursor is not one this server returned. Send the nextCursor value exactly as received, or leave it out and use since_seq.", PageCursor.Argument);
    }
}
