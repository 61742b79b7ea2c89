using System.Text;
using RevOps.Domain.Files;
using RevOps.Domain.Records;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace RevOps.Server.Files;

/// <summary>
/// The text of a file for an agent to read (ContentVersion's TextContent): a PDF's words page by page (PdfPig), text
/// types as UTF-8, cut at <see cref="MaxChars"/> with a marker that says so; other types say why there is no text.
/// </summary>
public static class FileText
{
    public const string Field = "TextContent";
    public const int MaxChars = 20_000;
    /// <summary>PDFs are parsed whole in memory; larger ones are not read.</summary>
    const long MaxPdfBytes = 50L * 1024 * 1024;

    public static async Task<string> ExtractAsync(Record version, Stream bytes, CancellationToken ct)
    {
        string type = version["FileType"] as string ?? "UNKNOWN";
        long size = version["ContentSize"] is long n ? n : 0;
        if (type == "PDF")
        {
            if (size > MaxPdfBytes) return $"[No text: this PDF is {size:N0} bytes; text is read from PDFs up to {MaxPdfBytes:N0} bytes.]";
            using var buffer = new MemoryStream();
            await bytes.CopyToAsync(buffer, ct);
            return Pdf(buffer.ToArray());
        }
        if (!FileTypes.IsText(type)) return $"[No text: FileType {type} is not a PDF or a text format. Download VersionData to read it.]";
        // A UTF-8 character is at most 4 bytes: this many bytes always hold MaxChars characters, and one more tells that there is more.
        var head = new byte[MaxChars * 4 + 1];
        int read = await bytes.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return Cut(Encoding.UTF8.GetString(head, 0, read), read == head.Length);
    }

    static string Pdf(byte[] bytes)
    {
        try
        {
            using var document = PdfDocument.Open(bytes);
            var text = new StringBuilder();
            foreach (var page in document.GetPages())
            {
                if (text.Length > 0) text.Append("\n\n");
                text.Append(ContentOrderTextExtractor.GetText(page));
                if (text.Length > MaxChars) break;
            }
            return text.Length == 0 ? "[No text: the PDF has no text layer (a scan?).]" : Cut(text.ToString(), more: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"[No text: the PDF could not be read ({e.GetType().Name}).]";
        }
    }

    static string Cut(string text, bool more) =>
        text.Length > MaxChars || more
            ? text[..Math.Min(text.Length, MaxChars)] + $"\n[TextContent truncated: the first {MaxChars:N0} characters are shown.]"
            : text;
}
