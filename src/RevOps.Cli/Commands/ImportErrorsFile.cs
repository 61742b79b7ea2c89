using System.Text;
using nietras.SeparatedValues;
using RevOps.Domain.Imports;

namespace RevOps.Cli.Commands;

/// <summary>
/// FILE.errors.csv: one line per row not written (rejected, or skipped as a duplicate): its row number, the
/// column and value at fault, the reason, then the row's original columns, so fixed rows can be imported again.
/// Created at the first such row; none when every row landed.
/// </summary>
internal sealed class ImportErrorsFile(string path, IReadOnlyList<string> headers) : IDisposable
{
    static readonly string[] Leading = ["Row", "Column", "Value", "Reason"];
    SepWriter? _writer;

    public string Path => path;
    public bool Written => _writer is not null;

    public void Add(ImportRowResult result)
    {
        _writer ??= Open();
        using var row = _writer.NewRow();
        row[0].Set(result.Row.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        row[1].Set(result.Column ?? "");
        row[2].Set(result.Value ?? "");
        row[3].Set(result.Reason ?? "");
        for (int i = 0; i < headers.Count; i++) row[Leading.Length + i].Set(i < result.Row.Cells.Count ? result.Row.Cells[i] : "");
    }

    SepWriter Open()
    {
        var writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = false }).To(new StreamWriter(path, append: false, new UTF8Encoding(false)));
        using var header = writer.NewRow();
        var names = Leading.Concat(headers.Select(h => Leading.Contains(h, StringComparer.OrdinalIgnoreCase) ? h + " (file)" : h)).ToArray();
        for (int i = 0; i < names.Length; i++) header[i].Set(names[i]);
        return writer;
    }

    /// <summary>Everything added so far, on disk.</summary>
    public void Flush() => _writer?.Flush();

    public void Dispose() => _writer?.Dispose();
}
