using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace RevOps.Server.Console;

/// <summary>
/// Builds a page's HTML. Every value from a record, a user or a request goes through <see cref="Text"/> or
/// <see cref="Attr"/> (encoded); <see cref="Raw"/> is only for markup this folder writes itself.
/// </summary>
public sealed class Html
{
    // Every script is allowed through as text: names in any language stay readable in the page source; markup characters are still encoded.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    readonly StringBuilder _out = new(4096);

    public Html Raw(string markup)
    {
        _out.Append(markup);
        return this;
    }

    public Html Text(string? text)
    {
        if (text is not null) _out.Append(Encoder.Encode(text));
        return this;
    }

    public static string Attr(string? value) => Encoder.Encode(value ?? "");

    public static string Url(string? value) => UrlEncoder.Default.Encode(value ?? "");

    /// <summary>A value as the console shows it: invariant numbers, ISO dates, empty for null.</summary>
    public static string Show(object? value) => value switch
    {
        null => "",
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Money(double amount) => amount.ToString("#,0", CultureInfo.InvariantCulture);

    public override string ToString() => _out.ToString();
}
