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

    /// <summary>The fields agents set most; the schema lists these, and every other Account field is accepted as well.</summary>
    static readonly string[] Writable = ["Name", "Industry", "Type", "Website", "Phone", "AnnualRevenue", "NumberOfEmployees", "ParentId", "BillingCity", "BillingCountry", "OwnerId"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return RecordTools.CreateTool(records, Account, "create_account", "Create account",
            "Create an account (a company); its Id (001…) is the AccountId of its contacts and deals.",
            Writable, required: ["Name"]);

        yield return RecordTools.GetTool(records, schemas, Account, "get_account", "Get account",
            "Get one account by Id (001…): every field with a value.");

        yield return Read("search_accounts", "Search accounts",
            "Find accounts by name prefix and/or industry, ordered by name, e.g. {\"name\":\"Acme\"}.",
            SearchBuilder.PagingParams(SearchBuilder.OwnerParam(new ToolSchema())
                .Param("name", "string", "Start of the name, any case.")
                .Param("industry", "string", "An Industry picklist value, e.g. \"Technology\".")),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Account, "search_accounts", args, orderBy: "Name");
                query.Prefix("name", "Name");
                query.Exact("industry", "Industry");
                query.Owner();
                return await query.RunAsync(records, await schemas.GetAsync(caller.Tenant, Account, ct), caller, ct, forgiving: search);
            });
    }
}
