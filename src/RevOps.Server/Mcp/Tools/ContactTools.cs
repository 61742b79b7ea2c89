using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Search;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

public sealed class ContactTools(RecordService records, SchemaService schemas, SearchService search) : IToolArea
{
    static readonly ObjectMetadata Contact = StandardObjects.Contact;

    /// <summary>The fields agents set most; the schema lists these, and every other Contact field is accepted as well.</summary>
    static readonly string[] Writable = ["FirstName", "LastName", "Email", "Phone", "MobilePhone", "Title", "Department", "AccountId", "OwnerId"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return RecordTools.CreateTool(records, Contact, "create_contact", "Create contact",
            "Create a contact (a person); link it to a company with AccountId.",
            Writable, required: ["LastName"]);

        yield return RecordTools.GetTool(records, schemas, Contact, "get_contact", "Get contact",
            "Get one contact by Id (003…): every field with a value.");

        yield return Read("search_contacts", "Search contacts",
            "Find contacts by email, phone, name or account (filters combine), ordered by name, e.g. {\"name\":\"Sarah Jo\"}.",
            SearchBuilder.PagingParams(SearchBuilder.OwnerParam(new ToolSchema())
                .Param("email", "string", "Exact, any case.")
                .Param("phone", "string", "Exact, business or mobile.")
                .Param("name", "string", "Start of first, last or full name.")
                .Param("accountId", "string", "001…")),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Contact, "search_contacts", args, orderBy: "Name");
                query.Text("email", "Email");
                query.AnyText("phone", "Phone", "MobilePhone");
                query.Prefix("name", "FirstName", "LastName", "Name");
                query.Reference("accountId", "AccountId");
                query.Owner();
                return await query.RunAsync(records, await schemas.GetAsync(caller.Tenant, Contact, ct), caller, ct, forgiving: search);
            });

        yield return RecordTools.UpdateTool(records, Contact, "update_contact", "Update contact",
            "Change a contact's fields: its Id and only the fields to change (null clears one).",
            Writable);
    }
}
