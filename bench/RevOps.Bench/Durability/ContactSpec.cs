using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>The fields of one contact a writer creates; LastName is unique in the run and names the write.</summary>
public sealed record ContactSpec(string FirstName, string LastName, string Email, string Title)
{
    public const string SelectFields = "Id, FirstName, LastName, Email, Title";

    /// <summary>LastName is lower case so the Email made from it is stored exactly as sent.</summary>
    public static ContactSpec Named(string lastName, string title) =>
        new("Durable", lastName, lastName + "@durability.example", title);

    public void WriteFields(Utf8JsonWriter w)
    {
        w.WriteString("FirstName", FirstName);
        w.WriteString("LastName", LastName);
        w.WriteString("Email", Email);
        w.WriteString("Title", Title);
    }

    /// <summary>Null when the row (SOQL, with <see cref="SelectFields"/>) holds exactly these values, else what differs.</summary>
    public string? Mismatch(JsonElement row)
    {
        var differences = new List<string>();
        void Compare(string field, string expected)
        {
            string? actual = row.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (actual != expected) differences.Add($"{field} '{actual}' instead of '{expected}'");
        }
        Compare("FirstName", FirstName);
        Compare("LastName", LastName);
        Compare("Email", Email);
        Compare("Title", Title);
        return differences.Count == 0 ? null : string.Join(", ", differences);
    }

    /// <summary>Null when a `created` change row carries these values, else what differs.</summary>
    public string? ChangeMismatch(ChangeLine created)
    {
        var differences = new List<string>();
        foreach (var (field, expected) in new[] { ("FirstName", FirstName), ("LastName", LastName), ("Email", Email), ("Title", Title) })
        {
            var after = created.After(field);
            string? actual = after.ValueKind == JsonValueKind.String ? after.GetString() : null;
            if (actual != expected) differences.Add($"{field} after '{actual}' instead of '{expected}'");
        }
        return differences.Count == 0 ? null : string.Join(", ", differences);
    }

    /// <summary>The SOQL that finds this write's contact, however many there are.</summary>
    public string Query() => $"SELECT {SelectFields} FROM Contact WHERE LastName = '{LastName}'";
}
