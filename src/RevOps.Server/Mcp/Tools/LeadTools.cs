using ModelContextProtocol.Protocol;
using RevOps.Domain.Writes;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>convert_lead: a qualified lead becomes an Account, a Contact and (optionally) an Opportunity in one step.</summary>
public sealed class LeadTools(LeadConversion conversion) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Create("convert_lead", "Convert lead",
            "Convert a qualified Lead (00Q…): creates an Account from its Company (or uses AccountId), a Contact from the person (or uses ContactId) and, unless CreateOpportunity is false, an Opportunity — all in one transaction. The lead is marked converted and becomes read-only; its tasks and events move to the contact. Converting twice is refused.",
            new ToolSchema()
                .Param("LeadId", "string", "The lead to convert, e.g. \"00Q…\" from search_crm.", required: true)
                .Param("AccountId", "string", "Existing Account to attach the contact and opportunity to instead of creating one, e.g. \"001…\" from search_accounts.")
                .Param("ContactId", "string", "Existing Contact to merge the lead into instead of creating one, e.g. \"003…\" from search_contacts.")
                .Param("CreateOpportunity", "boolean", "Create an Opportunity too (default true).")
                .Param("OpportunityName", "string", "Name of the new opportunity, e.g. \"Acme - 500 seats\" (default: the company name followed by '-').")
                .Param("ConvertedStatus", "string", "Lead Status to set (default 'Closed - Converted').", allowed: Domain.Metadata.Picklists.ConvertedLeadStatuses)
                .Param("OwnerId", "string", "User to own the new records (default: the lead's owner), e.g. \"005…\" from find_records with object User."),
            async (caller, args, ct) =>
            {
                var leadId = args.String("LeadId");
                var accountId = args.String("AccountId");
                var contactId = args.String("ContactId");
                var createOpportunity = args.Bool("CreateOpportunity", true);
                var opportunityName = args.String("OpportunityName");
                var status = args.String("ConvertedStatus");
                var owner = args.String("OwnerId");
                foreach (var error in new[] { leadId.Error, accountId.Error, contactId.Error, createOpportunity.Error, opportunityName.Error, status.Error, owner.Error })
                    if (error is not null) return ToolResults.Error(error);
                if (string.IsNullOrWhiteSpace(leadId.Value)) return ToolResults.Error(Domain.Errors.CrmError.Required("convert_lead", "LeadId"));

                var request = new LeadConversionRequest(leadId.Value, Blank(accountId.Value), Blank(contactId.Value), createOpportunity.Value, opportunityName.Value, status.Value)
                {
                    OwnerId = Blank(owner.Value),
                };
                var result = await conversion.ConvertAsync(caller, request, ct);
                return result.IsOk ? Converted(result.Value) : ToolResults.Error(result.Error);
            });
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    static CallToolResult Converted(LeadConversionResult result) => ToolResults.FromJson(w =>
    {
        w.WriteStartObject();
        w.WriteString("leadId", result.Lead.Id);
        w.WriteString("accountId", result.Account.Id);
        w.WriteBoolean("accountCreated", result.AccountCreated);
        w.WriteString("contactId", result.Contact.Id);
        w.WriteBoolean("contactCreated", result.ContactCreated);
        if (result.Opportunity is not null) w.WriteString("opportunityId", result.Opportunity.Id);
        w.WritePropertyName("lead");
        RecordJson.WriteCompact(w, result.Lead);
        w.WritePropertyName("account");
        RecordJson.WriteCompact(w, result.Account);
        w.WritePropertyName("contact");
        RecordJson.WriteCompact(w, result.Contact);
        if (result.Opportunity is not null)
        {
            w.WritePropertyName("opportunity");
            RecordJson.WriteCompact(w, result.Opportunity);
        }
        w.WriteEndObject();
    });
}
