using System.Text.Json;

namespace RevOps.Server.Json;

/// <summary>Checks on JSON text that arrives from clients, before any of it is read as strings, and its one written form.</summary>
public static class JsonText
{
    static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A value as compact JSON with the relaxed encoder, whatever escaping it arrived with: "O'Brien" and
    /// "O\u0027Brien" give the same text. Messages and fingerprints use it, so neither depends on how the
    /// client (or the path the request took through the server) escaped the value.
    /// </summary>
    public static string Canonical(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, Relaxed)) element.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

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
