namespace RevOps.Server.Tests.AgentTasks;

/// <summary>
/// The agent tasks share one server and one report; xunit runs a collection's classes one after
/// another and disposes the report (which then writes itself) after the last of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentTaskCollection : ICollectionFixture<CrmServerFixture>, ICollectionFixture<AgentTaskReport>
{
    public const string Name = "Agent tasks";
}
