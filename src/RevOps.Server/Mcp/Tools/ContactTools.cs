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

    static readonly string[] Writable =
        ["Salutation", "FirstName", "LastName", "Email", "Phone", "MobilePhone", "AccountId", "ReportsToId", "Title", "Department", "LeadSource", "Birthdate", "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry", "Description", "OwnerId"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return RecordTools.CreateTool(records, Contact, "create_contact", "Create contact",
            "Create a contact (a person). LastName is required; link it to a company with AccountId. Returns the new contact with its Id (003…).",
            Writable, required: ["LastName"]);

        yield return RecordTools.GetTool(records, schemas, Contact, "get_contact", "Get contact",
            "Get one contact by Id (15 or 18 characters, starts with 003). Returns every field that has a value.");

        yield return Read("search_contacts", "Search contacts",
            "Find contacts by exact email (any case), exact phone, name prefix (first, last or full name) or account. Filters combine with AND; with none, lists contacts by name. Results are ordered by name.",
            SearchBuilder.PagingParams(SearchBuilder.OwnerParam(new ToolSchema())
                .Param("email", "string", "Exact email address, any case, e.g. \"ada@acme.com\".")
                .Param("phone", "string", "Exact phone number as stored (business or mobile), e.g. \"+1 415 555 0100\".")
                .Param("name", "string", "Start of the first name, last name or full name, case-insensitive, e.g. 'Sar' or 'Sarah Jo'.")
                .Param("accountId", "string", "Only contacts of this Account, e.g. \"001…\" from search_accounts.")),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Contact, "search_contacts", args, orderBy: "Name");
                query.Text("email", "Email");
                query.AnyText("phone", "Phone", "MobilePhone");
                query.Prefix("name", "FirstName", "LastName", "Name");
                query.Reference("accountId", "AccountId");
                query.Owner();
                return await query.RunAsync(records, await schemas.GetAsync(caller.Tenant, Contact, ct), caller, ct, forgiving: search);
            }, OutputSchemas.Page(Contact));

        yield return RecordTools.UpdateTool(records, Contact, "update_contact", "Update contact",
            "Change fields of a contact: send its Id and only the fields to change; send null to clear a field. Returns the updated contact.",
            Writable);
    }
}
