using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using Record = RevOps.Domain.Records.Record;

namespace RevOps.Domain.Tests;

public sealed class OpportunityStagesTests
{
    [Theory]
    [InlineData("Prospecting", 10, false, false, "Pipeline")]
    [InlineData("Negotiation/Review", 90, false, false, "Pipeline")]
    [InlineData("Closed Won", 100, true, true, "Closed")]
    [InlineData("Closed Lost", 0, true, false, "Omitted")]
    public void Apply_Stage_SetsDerivedFields(string stage, double probability, bool closed, bool won, string forecast)
    {
        var record = Record.Empty(StandardObjects.Opportunity);
        record["StageName"] = stage;

        Assert.Null(ObjectRules.Apply(record, null, new HashSet<string> { "StageName" }));

        Assert.Equal(probability, record["Probability"]);
        Assert.Equal(closed, record["IsClosed"]);
        Assert.Equal(won, record["IsWon"]);
        Assert.Equal(forecast, record["ForecastCategoryName"]);
    }

    [Fact]
    public void Apply_ProbabilitySentWithStage_KeepsSentProbability()
    {
        var record = Record.Empty(StandardObjects.Opportunity);
        record["StageName"] = "Prospecting";
        record["Probability"] = 35.0;

        ObjectRules.Apply(record, null, new HashSet<string> { "StageName", "Probability" });

        Assert.Equal(35.0, record["Probability"]);
    }

    [Fact]
    public void Apply_ContactNames_JoinsNonEmptyParts()
    {
        var record = Record.Empty(StandardObjects.Contact);
        record["LastName"] = "Hopper";
        ObjectRules.Apply(record, null, new HashSet<string>());
        Assert.Equal("Hopper", record["Name"]);

        record["FirstName"] = "Grace";
        ObjectRules.Apply(record, null, new HashSet<string>());
        Assert.Equal("Grace Hopper", record["Name"]);
    }
}
