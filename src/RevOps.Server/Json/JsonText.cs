using System.Text.Json;

namespace RevOps.Server.Json;

/// <summary>Checks on JSON text that arrives from clients, before any of it is read as strings.</summary>
public static class JsonText
{
    /// <summary>
    /// Whether every string and property name can be read as text: JSON's grammar allows an escaped lone
    /// surrogate ("\ud800"), which the parser accepts and GetString() later refuses with an exception.
    /// </summary>
    public static bool IsDecodable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (!Readable(() => property.Name) || !IsDecodable(property.Value)) return false;
                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (!IsDecodable(item)) return false;
                return true;
            case JsonValueKind.String:
                return Readable(element.GetString);
            default:
                return true;
        }
    }

    static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
