using RevOps.Domain.Errors;
using RevOps.Domain.Search;

namespace RevOps.Domain.Tests;

public sealed class SearchTermsTests
{
    [Theory]
    [InlineData("o'brien", "o brien")]
    [InlineData("\"foo", "foo")]
    [InlineData("NEAR(a b, 2)", "near a|b|2")]
    [InlineData("Sarah@Acme.test", "sarah acme test")]
    [InlineData("{name email}: foo*", "name|email|foo")]
    [InlineData("+1 (415) 555-0100", "1|415|555 0100")]
    [InlineData("* ( ) \" ^ -", "")]
    public void Parse_AnyText_OnlyLetterAndDigitTokensRemain(string text, string expected)
    {
        var terms = SearchTerms.Parse(text).Value;
        Assert.Equal(expected, string.Join('|', terms.Words.Select(w => string.Join(' ', w))));
    }

    [Theory]
    [InlineData("+1 (415) 555-0100", "14155550100")]
    [InlineData("415.555.0100", "4155550100")]
    [InlineData("555-0100", "5550100")]
    [InlineData("555-01", null)]
    [InlineData("415 555 0100 x12", null)]
    [InlineData("Acme 4155550100", null)]
    public void Parse_PhoneLikeText_KeepsDigits(string text, string? digits) =>
        Assert.Equal(digits, SearchTerms.Parse(text).Value.Digits);

    [Fact]
    public void Parse_BlankText_RequiredError()
    {
        var parsed = SearchTerms.Parse("  ");
        Assert.Equal(ErrorCodes.RequiredFieldMissing, parsed.Error!.Code);
        Assert.Equal("text", parsed.Error.Field);
    }

    [Fact]
    public void MatchedField_PhoneInOtherFormat_ReportsPhone()
    {
        var hit = new SearchHit("Contact", "003000000000001AAA", "Pat Lee", "patricia.l@ledger.test", "(415) 555-0100", null, "Acme", "CFO", null, null, null, null);
        Assert.Equal("Phone", SearchService.MatchedField(hit, SearchTerms.Parse("+1 415 555 0100").Value));
        Assert.Equal("Account.Name", SearchService.MatchedField(hit, SearchTerms.Parse("acme").Value));
        Assert.Equal("Email", SearchService.MatchedField(hit, SearchTerms.Parse("patricia.l@ledger").Value));
        Assert.Equal("Name", SearchService.MatchedField(hit, SearchTerms.Parse("pat").Value));
    }
}
