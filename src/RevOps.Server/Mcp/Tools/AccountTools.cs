using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Search;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

public sealed class AccountTools(RecordService records, SchemaService schemas, SearchService search) : IToolArea
{
    static readonly ObjectMetadata Account = StandardObjects.Account;

    static readonly string[] Writable =
        ["Name", "Industry", "AnnualRevenue", "NumberOfEmployees", "Website", "Type", "Rating", "Phone", "AccountNumber", "ParentId", "BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry", "Description", "OwnerId"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return RecordTools.CreateTool(records, Account, "create_account", "Create account",
            "Create an account (a company). Name is required. Returns the new account with its Id (001…); use that Id as AccountId on contacts and opportunities.",
            Writable, required: ["Name"]);

        yield return RecordTools.GetTool(records, schemas, Account, "get_account", "Get account",
            "Get one account by Id (15 or 18 characters, starts with 001). Returns every field that has a value.");

        yield return Read("search_accounts", "Search accounts",
            "Find accounts by name prefix (case-insensitive) and/or industry. With no filter, lists accounts by name.",
            SearchBuilder.PagingParams(SearchBuilder.OwnerParam(new ToolSchema())
                .Param("name", "string", "Start of the account name, e.g. 'Acme'.")
                .Field(Account, "Industry", description: "Only accounts in this industry.", argument: "industry")),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Account, "search_accounts", args, orderBy: "Name");
                query.Prefix("name", "Name");
                query.Exact("industry", "Industry");
                query.Owner();
                return await query.RunAsync(records, await schemas.GetAsync(caller.Tenant, Account, ct), caller, ct, forgiving: search);
            }, OutputSchemas.Page(Account));
    }
}
