using System.Text;

namespace RevOps.Domain.BulkJobs;

/// <summary>
/// Reads Bulk API CSV strictly but forgivingly: a malformed record (a quote inside an unquoted value, text after a closing quote,
/// a value or record over Salesforce's length limits, an unclosed quote) is returned with its error so it fails on its own and the
/// records around it still land. Memory stays bounded whatever the input: a value over the limit is counted, not kept, and a record
/// keeps at most <see cref="BulkJobs.MaxColumns"/> + 1 values.
/// </summary>
public sealed class BulkCsvReader(TextReader text, char delimiter)
{
    readonly char[] _buffer = new char[1 << 16];
    int _position, _length;
    long _number;

    /// <summary>Characters read so far (for the upload's size).</summary>
    public long CharsRead { get; private set; }

    ValueTask<int> PeekAsync(CancellationToken ct) =>
        _position < _length ? ValueTask.FromResult<int>(_buffer[_position]) : FillAsync(ct);

    async ValueTask<int> FillAsync(CancellationToken ct)
    {
        _length = await text.ReadAsync(_buffer.AsMemory(), ct);
        _position = 0;
        CharsRead += _length;
        return _length == 0 ? -1 : _buffer[0];
    }

    async ValueTask<int> NextAsync(CancellationToken ct)
    {
        int c = _position < _length ? _buffer[_position] : await FillAsync(ct);
        if (c >= 0) _position++;
        return c;
    }

    /// <summary>The next record; null at the end. Blank lines are skipped. The header is read as a record too.</summary>
    public async ValueTask<BulkCsvRow?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            int first = await PeekAsync(ct);
            if (first < 0) return null;
            if (first is '\r' or '\n') { await NextAsync(ct); continue; }
            break;
        }
        _number++;
        var cells = new List<string>();
        var value = new StringBuilder();
        string? error = null;
        long recordChars = 0;
        while (true)
        {
            value.Clear();
            long valueChars = 0;
            bool quoted = await PeekAsync(ct) == '"';
            bool endOfRecord = false;
            if (quoted) await NextAsync(ct);
            while (true)
            {
                int c = await NextAsync(ct);
                if (c < 0)
                {
                    if (quoted) error ??= "A quoted value has no closing quote: every \" that opens a value must close it, and a \" inside one is written \"\".";
                    endOfRecord = true;
                    break;
                }
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (await PeekAsync(ct) == '"') { await NextAsync(ct); Append(value, '"', ref valueChars); continue; }
                        int after = await PeekAsync(ct);
                        if (after < 0 || after == delimiter || after is '\r' or '\n') { quoted = false; continue; }
                        error ??= "Text follows a closing quote: quote the whole value and write each \" inside it as \"\".";
                        quoted = false;
                        continue;
                    }
                    Append(value, (char)c, ref valueChars);
                    continue;
                }
                if (c == delimiter) break;
                if (c == '\r') { if (await PeekAsync(ct) == '\n') await NextAsync(ct); endOfRecord = true; break; }
                if (c == '\n') { endOfRecord = true; break; }
                if (c == '"') error ??= "A quote inside an unquoted value: quote the whole value and write each \" inside it as \"\".";
                Append(value, (char)c, ref valueChars);
            }
            recordChars += valueChars;
            if (valueChars > BulkJobs.MaxFieldChars)
                error ??= $"Value {cells.Count + 1} has {valueChars:N0} characters; at most {BulkJobs.MaxFieldChars:N0} fit a field.";
            if (cells.Count <= BulkJobs.MaxColumns) cells.Add(valueChars > BulkJobs.MaxFieldChars ? "" : value.ToString());
            else error ??= $"The record has more than {BulkJobs.MaxColumns:N0} values.";
            if (endOfRecord) break;
        }
        if (recordChars > BulkJobs.MaxRecordChars) error ??= $"The record has {recordChars:N0} characters; at most {BulkJobs.MaxRecordChars:N0} fit a record.";
        return new BulkCsvRow(_number - 1, cells.ToArray(), error);
    }

    static void Append(StringBuilder value, char c, ref long count)
    {
        if (++count <= BulkJobs.MaxFieldChars) value.Append(c);
    }
}
