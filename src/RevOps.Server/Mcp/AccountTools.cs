using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using static RevOps.Server.Mcp.ToolDefinition;

namespace RevOps.Server.Mcp;

public sealed class AccountTools(RecordService records) : IToolArea
{
    static readonly ObjectMetadata Account = StandardObjects.Account;

    static readonly string[] Writable =
        ["Name", "Industry", "AnnualRevenue", "NumberOfEmployees", "Website", "Type", "Phone", "BillingCity", "BillingState", "BillingCountry", "Description"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return RecordTools.CreateTool(records, Account, "create_account", "Create account",
            "Create an account (a company). Name is required. Returns the new account with its Id (001…); use that Id as AccountId on contacts and opportunities.",
            Writable, required: ["Name"]);

        yield return RecordTools.GetTool(records, Account, "get_account", "Get account",
            "Get one account by Id (15 or 18 characters, starts with 001). Returns every field that has a value.");

        yield return Read("search_accounts", "Search accounts",
            "Find accounts by name prefix (case-insensitive) and/or industry. With no filter, lists accounts by name.",
            new ToolSchema()
                .Param("name", "string", "Start of the account name, e.g. 'Acme'.")
                .Field(Account, "Industry", description: "Only accounts in this industry.", argument: "industry")
                .Param("limit", "integer", $"Most records to return (default {SearchDefaults.Limit}, at most {RecordQuery.MaxLimit}).", minimum: 1, maximum: RecordQuery.MaxLimit),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Account, args, orderBy: "Name");
                query.Prefix("name", "Name");
                query.Exact("industry", "Industry");
                return await query.RunAsync(records, caller, ct);
            });
    }
}
