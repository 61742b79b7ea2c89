using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

public sealed class OpportunityTools(RecordService records, SchemaService schemas) : IToolArea
{
    static readonly ObjectMetadata Opportunity = StandardObjects.Opportunity;

    static readonly string[] Writable =
        ["Name", "StageName", "CloseDate", "Amount", "Probability", "AccountId", "Type", "LeadSource", "NextStep", "Description", "OwnerId"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return RecordTools.CreateTool(records, Opportunity, "create_opportunity", "Create opportunity",
            "Create an opportunity (a deal). Name, StageName and CloseDate are required. The stage sets IsClosed/IsWon and, unless you send Probability, the stage's default probability.",
            Writable, required: ["Name", "StageName", "CloseDate"]);

        yield return RecordTools.GetTool(records, schemas, Opportunity, "get_opportunity", "Get opportunity",
            "Get one opportunity by Id (15 or 18 characters, starts with 006).");

        yield return RecordTools.UpdateTool(records, Opportunity, "update_opportunity_stage", "Move opportunity stage",
            "Move an opportunity to another stage. IsClosed, IsWon, ForecastCategoryName and Probability follow the stage (Closed Won: 100%, Closed Lost: 0%).",
            ["StageName"], required: ["StageName"], customFields: false);

        yield return Read("search_opportunities", "Search opportunities",
            "Find opportunities by account, stage and/or minimum amount. Results are ordered by amount, largest first.",
            SearchBuilder.PagingParams(SearchBuilder.OwnerParam(new ToolSchema())
                .Param("accountId", "string", "Only opportunities of this Account, e.g. \"001…\" from search_accounts.")
                .Field(Opportunity, "StageName", description: "Only opportunities in this stage.", argument: "stage")
                .Param("minAmount", "number", "Only opportunities with Amount at least this, e.g. 50000.")),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Opportunity, "search_opportunities", args, orderBy: "Amount", descending: true);
                query.Reference("accountId", "AccountId");
                query.Exact("stage", "StageName");
                query.Minimum("minAmount", "Amount");
                query.Owner();
                return await query.RunAsync(records, await schemas.GetAsync(caller.Tenant, Opportunity, ct), caller, ct);
            }, OutputSchemas.Page(Opportunity));
    }
}
