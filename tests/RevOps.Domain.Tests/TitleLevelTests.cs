using RevOps.Domain.Metadata;
using Record = RevOps.Domain.Records.Record;
using RevOps.Domain.Search.Semantic;

namespace RevOps.Domain.Tests;

public sealed class TitleLevelTests
{
    const string Executive = "executive, C-level, senior leader, decision maker";
    const string VicePresident = "executive, vice president, senior leader, decision maker";
    const string Director = "director, leader, manages managers";
    const string Manager = "manager, people manager";
    const string Individual = "individual contributor, not a manager";

    [Theory]
    [InlineData("Chief Financial Officer", Executive)]
    [InlineData("CEO", Executive)]
    [InlineData("President and Founder", Executive)]
    [InlineData("Vice President of Sales", VicePresident)]
    [InlineData("Vice-President, Operations", VicePresident)]
    [InlineData("SVP Finance", VicePresident)]
    [InlineData("VP, Engineering", VicePresident)]
    [InlineData("Director of Marketing", Director)]
    [InlineData("Head of People", Director)]
    [InlineData("Senior Product Manager", Manager)]
    [InlineData("Warehouse Supervisor", Manager)]
    [InlineData("Site Reliability Engineer", Individual)]
    [InlineData("Financial Analyst", Individual)]
    [InlineData("Customer Service Representative", Individual)]
    [InlineData("Account Executive", Individual)]
    public void Words_KnownTitle_GivesItsLevel(string title, string expected) =>
        Assert.Equal(expected, TitleLevel.Words(title));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Product Owner")]
    [InlineData("Surgeon")]
    public void Words_TitleWithoutKnownLevel_IsNull(string? title) => Assert.Null(TitleLevel.Words(title));

    [Fact]
    public void Build_ContactWithTitle_CarriesLevelWordsAfterTitle()
    {
        var contact = Record.Empty(StandardObjects.Contact);
        contact["FirstName"] = "Ana";
        contact["LastName"] = "Silva";
        contact["Title"] = "SVP Finance";
        Assert.Equal("Person: Ana Silva. Title: SVP Finance. Level: " + VicePresident, EmbeddingText.Build(contact, account: null));
    }

    [Fact]
    public void Build_LeadWithUnknownTitle_HasNoLevel()
    {
        var lead = Record.Empty(StandardObjects.Lead);
        lead["LastName"] = "Okafor";
        lead["Title"] = "Surgeon";
        lead["Company"] = "St Mary's";
        Assert.Equal("Prospect: Okafor. Title: Surgeon. Company: St Mary's", EmbeddingText.Build(lead, account: null));
    }
}
