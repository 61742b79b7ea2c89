using System.Globalization;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Tests;

/// <summary>The hand-written text time must be the pattern's text exactly, both ways, and leave every other text to the pattern's parser.</summary>
public sealed class TextTimeTests
{
    const DateTimeStyles Styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;

    public static TheoryData<DateTime> Times() =>
    [
        new DateTime(2026, 11, 25, 9, 43, 53, 123, DateTimeKind.Utc),
        new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc),
        new DateTime(9999, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9999),
        new DateTime(2024, 2, 29, 12, 0, 7, 5, DateTimeKind.Utc),
        new DateTime(999, 3, 4, 5, 6, 7, 80, DateTimeKind.Utc),
        new DateTime(2026, 12, 7, 4, 5, 6, DateTimeKind.Local),
        new DateTime(2026, 12, 7, 4, 5, 6, 7, DateTimeKind.Unspecified).AddTicks(1234),
    ];

    [Theory, MemberData(nameof(Times))]
    public void Format_IsThePatternsText_AndParsesBackAsThePatternDoes(DateTime time)
    {
        string expected = time.ToUniversalTime().ToString(TextTime.Pattern, CultureInfo.InvariantCulture);
        string text = TextTime.Format(time);
        Assert.Equal(expected, text);

        var parsed = TextTime.Parse(text);
        var byPattern = DateTime.ParseExact(text, TextTime.Pattern, CultureInfo.InvariantCulture, Styles);
        Assert.Equal(byPattern, parsed);
        Assert.Equal(byPattern.Kind, parsed.Kind);
        Assert.Equal(DateTimeKind.Utc, parsed.Kind);
    }

    [Theory]
    [InlineData("2026-02-30T10:00:00.000Z")]
    [InlineData("2026-13-01T10:00:00.000Z")]
    [InlineData("2026-01-01T24:00:00.000Z")]
    [InlineData("2026-01-01T10:60:00.000Z")]
    [InlineData("2026-01-01T10:00:60.000Z")]
    [InlineData("2026-01-01T10:00:00.000")]
    [InlineData("2026-01-01 10:00:00.000Z")]
    [InlineData("2026-0a-01T10:00:00.000Z")]
    [InlineData("0000-01-01T10:00:00.000Z")]
    public void Parse_TextThePatternRefuses_FailsAsThePatternDoes(string text)
    {
        Assert.Throws<FormatException>(() => DateTime.ParseExact(text, TextTime.Pattern, CultureInfo.InvariantCulture, Styles));
        Assert.Throws<FormatException>(() => TextTime.Parse(text));
    }
}
