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

    /// <summary>The fields agents set most; the schema lists these, and every other Opportunity field is accepted as well.</summary>
    static readonly string[] Writable = ["Name", "StageName", "CloseDate", "Amount", "AccountId", "NextStep", "Probability", "Type", "OwnerId"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return RecordTools.CreateTool(records, Opportunity, "create_opportunity", "Create opportunity",
            "Create an opportunity (a deal). The stage sets IsClosed/IsWon and the default Probability.",
            Writable, required: ["Name", "StageName", "CloseDate"]);

        yield return RecordTools.GetTool(records, schemas, Opportunity, "get_opportunity", "Get opportunity",
            "Get one opportunity by Id (006…): every field with a value.");

        yield return RecordTools.UpdateTool(records, Opportunity, "update_opportunity_stage", "Move opportunity stage",
            "Move a deal to another stage, e.g. {\"Id\":\"006…\",\"StageName\":\"Closed Won\"}; IsClosed, IsWon, forecast category and Probability follow.",
            ["StageName"], required: ["StageName"], customFields: false);

        yield return Read("search_opportunities", "Search opportunities",
            "Find deals by account, stage and/or minimum amount, largest first, e.g. {\"stage\":\"Negotiation/Review\",\"minAmount\":50000}.",
            SearchBuilder.PagingParams(SearchBuilder.OwnerParam(new ToolSchema())
                .Param("accountId", "string", "001…")
                .Param("stage", "string", "A StageName value.")
                .Param("minAmount", "number", "Smallest Amount.")),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Opportunity, "search_opportunities", args, orderBy: "Amount", descending: true);
                query.Reference("accountId", "AccountId");
                query.Exact("stage", "StageName");
                query.Minimum("minAmount", "Amount");
                query.Owner();
                return await query.RunAsync(records, await schemas.GetAsync(caller.Tenant, Opportunity, ct), caller, ct);
            });
    }
}
