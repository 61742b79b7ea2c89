using System.Security.Cryptography;
using System.Text;
using RevOps.Domain.Records;

namespace RevOps.Domain.Writes;

/// <summary>A fingerprint of a write request, so an idempotency key reused for a different request is caught.</summary>
public static class RequestHash
{
    public static string Of(string operation, string objectName, string? id, RecordInput input)
    {
        var text = new StringBuilder().Append(operation).Append('\n').Append(objectName).Append('\n').Append(id).Append('\n');
        foreach (var (name, value) in input.Fields.OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase))
            text.Append(name.ToLowerInvariant()).Append('=').Append(value.GetRawText()).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
