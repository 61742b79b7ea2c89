using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using static RevOps.Server.Mcp.ToolDefinition;

namespace RevOps.Server.Mcp;

public sealed class ContactTools(RecordService records) : IToolArea
{
    static readonly ObjectMetadata Contact = StandardObjects.Contact;

    static readonly string[] Writable =
        ["FirstName", "LastName", "Email", "Phone", "MobilePhone", "AccountId", "Title", "Department", "LeadSource", "MailingCity", "MailingCountry", "Description"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return Create("create_contact", "Create contact",
            "Create a contact (a person). LastName is required; link it to a company with AccountId. Returns the new contact with its Id (003…).",
            new ToolSchema().Fields(Contact, Writable, required: ["LastName"]).CustomFields(Contact),
            async (caller, args, ct) =>
            {
                var input = args.RecordFields();
                if (!input.IsOk) return ToolResults.Error(input.Error);
                return ToolResults.FromResult(await records.CreateAsync(caller, Contact, input.Value, ct));
            });

        yield return Read("get_contact", "Get contact",
            "Get one contact by Id (15 or 18 characters, starts with 003). Returns every field that has a value.",
            new ToolSchema().Param("Id", "string", "Contact Id, e.g. 003xxxxxxxxxxxxAAA.", required: true),
            async (caller, args, ct) =>
            {
                var id = args.String("Id");
                if (!id.IsOk) return ToolResults.Error(id.Error);
                return ToolResults.FromResult(await records.GetAsync(caller, Contact, id.Value, ct));
            });

        yield return Read("search_contacts", "Search contacts",
            "Find contacts by exact email (any case), exact phone, name prefix (first, last or full name) or account. Filters combine with AND; with none, lists contacts by name. Results are ordered by name.",
            new ToolSchema()
                .Param("email", "string", "Exact email address, case-insensitive.")
                .Param("phone", "string", "Exact phone number as stored (business or mobile).")
                .Param("name", "string", "Start of the first name, last name or full name, case-insensitive, e.g. 'Sar' or 'Sarah Jo'.")
                .Param("accountId", "string", "Only contacts of this Account Id (001…).")
                .Param("limit", "integer", $"Most records to return (default {SearchDefaults.Limit}, at most {RecordQuery.MaxLimit}).", minimum: 1, maximum: RecordQuery.MaxLimit),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Contact, args, orderBy: "Name");
                query.Text("email", "Email");
                query.AnyText("phone", "Phone", "MobilePhone");
                query.Prefix("name", "FirstName", "LastName", "Name");
                query.Reference("accountId", "AccountId");
                return await query.RunAsync(records, caller, ct);
            });

        yield return Update("update_contact", "Update contact",
            "Change fields of a contact: send its Id and only the fields to change; send null to clear a field. Returns the updated contact.",
            new ToolSchema().Param("Id", "string", "Contact Id (003…).", required: true).Fields(Contact, Writable).CustomFields(Contact),
            async (caller, args, ct) =>
            {
                var id = args.String("Id");
                if (!id.IsOk) return ToolResults.Error(id.Error);
                var input = args.RecordFields("Id");
                if (!input.IsOk) return ToolResults.Error(input.Error);
                return ToolResults.FromResult(await records.UpdateAsync(caller, Contact, id.Value, input.Value, ct));
            });
    }
}
