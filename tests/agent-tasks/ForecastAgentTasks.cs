namespace RevOps.Server.Tests.AgentTasks;

/// <summary>Agent tasks about the forecast: number 46 of the report.</summary>
[Collection(AgentTaskCollection.Name)]
public sealed class ForecastAgentTasks(CrmServerFixture server, AgentTaskReport report, ITestOutputHelper output)
{
    [Fact]
    public async Task WhatWillWeCloseThisQuarter_AndHowSureAreWe_InOneCall()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 46");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var quarterEnd = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1).AddMonths(3).AddDays(-1);
        string close = quarterEnd.ToString("yyyy-MM-dd");
        await tenant.CallOkAsync("bulk_write", new
        {
            @object = "Opportunity", operation = "create", records = new object[]
            {
                new { Name = "Won already", StageName = "Closed Won", CloseDate = today.ToString("yyyy-MM-dd"), Amount = 12000 },
                new { Name = "Big maybe", StageName = "Value Proposition", CloseDate = close, Amount = 80000 },
                new { Name = "Nearly there", StageName = "Negotiation/Review", CloseDate = close, Amount = 30000 },
            },
        });

        await using (agent)
        {
            var forecast = await agent.CallAsync("forecast");
            Assert.Equal(12000, forecast.GetProperty("committed").GetProperty("amount").GetDouble());
            Assert.Equal(12000 + 40000 + 27000, forecast.GetProperty("expected").GetDouble());
            var range = forecast.GetProperty("range");
            Assert.True(range.GetProperty("p10").GetDouble() <= range.GetProperty("p90").GetDouble());
            Assert.Equal("stage-probabilities", forecast.Str("model"));
            Assert.Contains("closed deals", forecast.Str("why"));
            Assert.Equal("Big maybe", forecast.GetProperty("deals")[0].Str("Name"));
            report.Record(46, "what will we close this quarter, and how sure are we", agent, maxCalls: 2, output);
        }
    }
}
