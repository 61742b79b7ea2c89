using RevOps.Domain.Errors;

namespace RevOps.Domain.BulkJobs;

/// <summary>Bulk API 2.0's options and limits, as Salesforce documents them where we follow it.</summary>
public static class BulkJobs
{
    /// <summary>
    /// Rows per stored data part, at most. A part is written in one transaction, so a resumed job knows per part whether it
    /// landed; 2,000 as `revops import`'s batches: with 200 a part's two commits (rows, then results) and its per-part reads
    /// were most of the processing (630 µs of server CPU per row, bench/bulk2-ingest.mjs).
    /// </summary>
    public const int PartRows = 2_000;

    /// <summary>A part also ends once its cells hold this many characters, so wide records (up to 400,000 characters each) keep
    /// a part, and the upload's memory, bounded.</summary>
    public const long PartChars = 4L * 1024 * 1024;

    /// <summary>Salesforce's limit on one job's upload (150 MB).</summary>
    public const long MaxUploadBytes = 150L * 1024 * 1024;

    /// <summary>Salesforce's limits per field, per record and on the number of fields.</summary>
    public const int MaxFieldChars = 131_072;
    public const int MaxRecordChars = 400_000;
    public const int MaxColumns = 5_000;

    /// <summary>Query result rows per stored part.</summary>
    public const int ResultPartRows = 2_000;

    /// <summary>What Salesforce's CSV writes for "set this field to null" (jsforce writes JavaScript nulls so).</summary>
    public const string NullValue = "#N/A";

    public static readonly IReadOnlyList<string> IngestOperations = ["insert", "update", "upsert", "delete", "hardDelete"];
    public static readonly IReadOnlyList<string> QueryOperations = ["query", "queryAll"];
    public static readonly IReadOnlyList<string> Delimiters = ["COMMA", "TAB", "PIPE", "SEMICOLON", "CARET", "BACKQUOTE"];

    public static char DelimiterChar(string name) => name switch
    {
        "TAB" => '\t',
        "PIPE" => '|',
        "SEMICOLON" => ';',
        "CARET" => '^',
        "BACKQUOTE" => '`',
        _ => ',',
    };

    /// <summary>columnDelimiter and lineEnding as sent (null: the defaults, COMMA and LF), or the error naming what is accepted.</summary>
    public static CrmResult<(string Delimiter, string LineEnding)> Format(string? delimiter, string? lineEnding)
    {
        string d = string.IsNullOrEmpty(delimiter) ? "COMMA" : delimiter;
        if (!Delimiters.Contains(d)) return new CrmError(ErrorCodes.InvalidArgument, $"columnDelimiter '{Clip(d)}' is not one of {string.Join(", ", Delimiters)}.", "columnDelimiter");
        string l = string.IsNullOrEmpty(lineEnding) ? "LF" : lineEnding;
        if (l is not ("LF" or "CRLF")) return new CrmError(ErrorCodes.InvalidArgument, $"lineEnding '{Clip(l)}' is not LF or CRLF.", "lineEnding");
        return (d, l);
    }

    static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
