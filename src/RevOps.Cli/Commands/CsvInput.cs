using System.Text;
using nietras.SeparatedValues;
using RevOps.Domain.Imports;

namespace RevOps.Cli.Commands;

/// <summary>
/// A CSV file read for import: UTF-8 with or without BOM (checked whole before anything is written), the
/// delimiter detected from the header (comma, semicolon, tab) unless given, quoted values across lines.
/// </summary>
internal sealed class CsvInput : IDisposable
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    readonly StreamReader _text;
    readonly SepReader _reader;

    CsvInput(StreamReader text, SepReader reader, long lines, string fingerprint)
    {
        _text = text;
        _reader = reader;
        Lines = lines;
        Fingerprint = fingerprint;
        Headers = reader.Header.ColNames.ToArray();
    }

    public IReadOnlyList<string> Headers { get; }

    /// <summary>Lines after the header: the row count when no value spans lines, for progress.</summary>
    public long Lines { get; }

    public char Separator => _reader.Spec.Sep.Separator;

    /// <summary>
    /// SHA-256 of the whole file, hex: what identifies an import to resume. The whole file, not its head, because
    /// an edited row anywhere makes it another import (resuming it would skip or shift rows); hashing costs nothing
    /// extra, as the UTF-8 check reads every byte anyway.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>The file opened, or why it cannot be read (not UTF-8, empty, no header).</summary>
    public static (CsvInput? Input, string? Error) Open(string path, char? delimiter)
    {
        if (!File.Exists(path)) return (null, $"no file '{path}'.");
        var (lines, invalid, fingerprint) = CheckUtf8(path);
        if (invalid is { } line)
            return (null, $"'{path}' is not UTF-8 text (invalid bytes on line {line:N0}). Save it as \"CSV UTF-8\" and import again; nothing was written.");
        if (lines == 0) return (null, $"'{path}' is empty: it needs a header row naming the fields, then one row per record.");
        var text = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        try
        {
            var spec = delimiter is { } d ? Sep.New(d) : (Sep?)null;
            var reader = Sep.Reader(o => o with { Sep = spec, Unescape = true, DisableColCountCheck = true, HasHeader = true }).From(text);
            return (new CsvInput(text, reader, lines - 1, fingerprint), null);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException)
        {
            text.Dispose();
            return (null, $"'{path}' could not be read as CSV: {e.Message}");
        }
    }

    /// <summary>Counts lines, finds the first one that is not UTF-8 and hashes the bytes, reading the file once without keeping it.</summary>
    static (long Lines, long? Invalid, string Fingerprint) CheckUtf8(string path)
    {
        using var stream = File.OpenRead(path);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length];
        int carry = 0;
        long lines = 0;
        byte last = (byte)'\n';
        while (true)
        {
            int read = stream.Read(bytes, carry, bytes.Length - carry);
            hash.AppendData(bytes, carry, read);
            var span = bytes.AsSpan(0, carry + read);
            var status = System.Text.Unicode.Utf8.ToUtf16(span, chars, out int consumed, out _, replaceInvalidSequences: false, isFinalBlock: read == 0);
            var valid = span[..consumed];
            lines += valid.Count((byte)'\n');
            if (valid.Length > 0) last = valid[^1];
            if (status == System.Buffers.OperationStatus.InvalidData) return (lines, lines + 1, "");
            span[consumed..].CopyTo(bytes);
            carry = span.Length - consumed;
            if (read == 0) break;
        }
        return (lines + (last == (byte)'\n' ? 0 : 1), null, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The data rows in batches; each row's number counts data rows from 1.</summary>
    public IEnumerable<IReadOnlyList<ImportRow>> Batches(int size)
    {
        var batch = new List<ImportRow>(size);
        foreach (var row in _reader)
        {
            var cells = new string[row.ColCount];
            for (int i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
            batch.Add(new ImportRow(row.RowIndex, cells));
            if (batch.Count < size) continue;
            yield return batch;
            batch = new List<ImportRow>(size);
        }
        if (batch.Count > 0) yield return batch;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _text.Dispose();
    }
}
