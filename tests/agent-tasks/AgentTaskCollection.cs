namespace RevOps.Server.Tests.AgentTasks;

/// <summary>
/// The agent tasks share one server and one report; xunit runs a collection's classes one after
/// another and disposes the report (which then writes itself) after the last of them. The meaning-based tasks
/// use a second server with semantic search on (the others keep keyword-only search, as their figures assume).
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentTaskCollection : ICollectionFixture<CrmServerFixture>, ICollectionFixture<AgentTaskReport>,
    ICollectionFixture<SemanticServerFixture>
{
    public const string Name = "Agent tasks";
}
