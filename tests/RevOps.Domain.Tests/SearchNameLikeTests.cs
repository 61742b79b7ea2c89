using RevOps.Domain.Search.Semantic;

namespace RevOps.Domain.Tests;

/// <summary>Which texts auto search treats as a name: when no word of a name matched, it answers nothing with the hint rather than neighbours by meaning.</summary>
public sealed class SearchNameLikeTests
{
    [Theory]
    [InlineData("Acme Corp", true)]
    [InlineData("Jonh Smiht", true)]
    [InlineData("O'Brien & Sons", true)]
    [InlineData("Zorblax Quantum Ltd", true)]
    [InlineData("SAP Ariba", true)]
    [InlineData("SAP", false)]
    [InlineData("ERP CRM", false)]
    [InlineData("VP-level people at software companies", false)]
    [InlineData("the deal where they worried about security", false)]
    [InlineData("Decision makers at healthcare companies", false)]
    [InlineData("One Two Three Four Five", false)]
    [InlineData("follow-ups about pricing", false)]
    public void LooksLikeAName_CapitalisedShortTexts(string text, bool expected) =>
        Assert.Equal(expected, RankedSearch.LooksLikeAName(text));
}
