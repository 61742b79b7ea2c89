using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using static RevOps.Server.Mcp.ToolDefinition;

namespace RevOps.Server.Mcp;

public sealed class OpportunityTools(RecordService records) : IToolArea
{
    static readonly ObjectMetadata Opportunity = StandardObjects.Opportunity;

    static readonly string[] Writable =
        ["Name", "StageName", "CloseDate", "Amount", "Probability", "AccountId", "Type", "LeadSource", "NextStep", "Description"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return Create("create_opportunity", "Create opportunity",
            "Create an opportunity (a deal). Name, StageName and CloseDate are required. The stage sets IsClosed/IsWon and, unless you send Probability, the stage's default probability.",
            new ToolSchema().Fields(Opportunity, Writable, required: ["Name", "StageName", "CloseDate"]).CustomFields(Opportunity),
            async (caller, args, ct) =>
            {
                var input = args.RecordFields();
                if (!input.IsOk) return ToolResults.Error(input.Error);
                return ToolResults.FromResult(await records.CreateAsync(caller, Opportunity, input.Value, ct));
            });

        yield return Read("get_opportunity", "Get opportunity",
            "Get one opportunity by Id (15 or 18 characters, starts with 006).",
            new ToolSchema().Param("Id", "string", "Opportunity Id, e.g. 006xxxxxxxxxxxxAAA.", required: true),
            async (caller, args, ct) =>
            {
                var id = args.String("Id");
                if (!id.IsOk) return ToolResults.Error(id.Error);
                return ToolResults.FromResult(await records.GetAsync(caller, Opportunity, id.Value, ct));
            });

        yield return Update("update_opportunity_stage", "Move opportunity stage",
            "Move an opportunity to another stage. IsClosed, IsWon, ForecastCategoryName and Probability follow the stage (Closed Won: 100%, Closed Lost: 0%).",
            new ToolSchema().Param("Id", "string", "Opportunity Id (006…).", required: true).Field(Opportunity, "StageName", required: true),
            async (caller, args, ct) =>
            {
                var id = args.String("Id");
                if (!id.IsOk) return ToolResults.Error(id.Error);
                if (!args.Has("StageName"))
                    return ToolResults.Error(Domain.Errors.CrmError.Required("Opportunity", "StageName"));
                var input = args.RecordFields("Id");
                if (!input.IsOk) return ToolResults.Error(input.Error);
                return ToolResults.FromResult(await records.UpdateAsync(caller, Opportunity, id.Value, input.Value, ct));
            });

        yield return Read("search_opportunities", "Search opportunities",
            "Find opportunities by account, stage and/or minimum amount. Results are ordered by amount, largest first.",
            new ToolSchema()
                .Param("accountId", "string", "Only opportunities of this Account Id (001…).")
                .Field(Opportunity, "StageName", description: "Only opportunities in this stage.", argument: "stage")
                .Param("minAmount", "number", "Only opportunities with Amount at least this.")
                .Param("limit", "integer", $"Most records to return (default {SearchDefaults.Limit}, at most {RecordQuery.MaxLimit}).", minimum: 1, maximum: RecordQuery.MaxLimit),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Opportunity, args, orderBy: "Amount", descending: true);
                query.Reference("accountId", "AccountId");
                query.Exact("stage", "StageName");
                query.Minimum("minAmount", "Amount");
                return await query.RunAsync(records, caller, ct);
            });
    }
}
