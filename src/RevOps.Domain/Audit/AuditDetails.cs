using System.Text;
using System.Text.Json;

namespace RevOps.Domain.Audit;

/// <summary>Builds an audit entry's details: a flat JSON object of named values (null values left out).</summary>
public static class AuditDetails
{
    public static string Of(params (string Name, object? Value)[] values)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in values)
            {
                switch (value)
                {
                    case null: break;
                    case bool b: w.WriteBoolean(name, b); break;
                    case int i: w.WriteNumber(name, i); break;
                    case long l: w.WriteNumber(name, l); break;
                    case DateTime t: w.WriteString(name, DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)); break;
                    default: w.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
