namespace RevOps.Domain.Files;

/// <summary>What Salesforce calls a file's type (FileType), from the extension of its PathOnClient.</summary>
public static class FileTypes
{
    static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pdf"] = "PDF", ["txt"] = "TEXT", ["csv"] = "CSV", ["md"] = "TEXT", ["json"] = "JSON", ["xml"] = "XML",
        ["html"] = "HTML", ["htm"] = "HTML", ["rtf"] = "RTF", ["png"] = "PNG", ["jpg"] = "JPG", ["jpeg"] = "JPEG",
        ["gif"] = "GIF", ["zip"] = "ZIP", ["doc"] = "WORD", ["docx"] = "WORD_X", ["xls"] = "EXCEL", ["xlsx"] = "EXCEL_X",
        ["ppt"] = "POWER_POINT", ["pptx"] = "POWER_POINT_X", ["mp4"] = "MP4", ["mp3"] = "MP3",
    };

    /// <summary>Types whose bytes are text a reader can take as UTF-8.</summary>
    static readonly HashSet<string> Text = new(StringComparer.Ordinal) { "TEXT", "CSV", "JSON", "XML", "HTML", "RTF" };

    /// <summary>The extension of the last path segment (either slash), lower case without the dot; empty when there is none.</summary>
    public static string Extension(string pathOnClient)
    {
        string name = FileName(pathOnClient);
        int dot = name.LastIndexOf('.');
        return dot <= 0 || dot == name.Length - 1 ? "" : name[(dot + 1)..].ToLowerInvariant() is { Length: <= 40 } ext ? ext : "";
    }

    /// <summary>The last segment of the client's path: what a title defaults to (without its extension).</summary>
    public static string FileName(string pathOnClient)
    {
        int slash = pathOnClient.LastIndexOfAny(['/', '\\']);
        return pathOnClient[(slash + 1)..];
    }

    public static string TitleOf(string pathOnClient)
    {
        string name = FileName(pathOnClient);
        int dot = name.LastIndexOf('.');
        string title = dot > 0 ? name[..dot] : name;
        return title.Length == 0 ? "Untitled" : title.Length > 255 ? title[..255] : title;
    }

    public static string TypeOf(string extension) => ByExtension.GetValueOrDefault(extension, "UNKNOWN");

    public static bool IsText(string fileType) => Text.Contains(fileType);
}
