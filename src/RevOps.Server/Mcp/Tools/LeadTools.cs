using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Records;
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
            "Convert a Lead in one transaction: an Account from its Company (or AccountId), a Contact (or ContactId) and a deal (unless CreateOpportunity is false); " +
            "its activities move to the contact. E.g. {\"LeadId\":\"00Q…\",\"Opportunity\":{\"Amount\":50000,\"CloseDate\":\"2027-03-31\",\"StageName\":\"Qualification\"}}",
            new ToolSchema()
                .Param("LeadId", "string", null, required: true)
                .Param("AccountId", "string", "Use this Account.")
                .Param("ContactId", "string", "Merge into this Contact.")
                .Param("CreateOpportunity", "boolean", "Default true.")
                .Param("OpportunityName", "string", "Default: the company and '-'.")
                .Param("Opportunity", "object", "The new deal's fields.")
                .Param("ConvertedStatus", "string", null, allowed: Domain.Metadata.Picklists.ConvertedLeadStatuses)
                .Param("OwnerId", "string", "Owner of the new records (default: the lead's)."),
            async (caller, args, ct) =>
            {
                var leadId = args.String("LeadId");
                var accountId = args.String("AccountId");
                var contactId = args.String("ContactId");
                var createOpportunity = args.Bool("CreateOpportunity", true);
                var opportunityName = args.String("OpportunityName");
                var status = args.String("ConvertedStatus");
                var owner = args.String("OwnerId");
                var opportunity = args.Object("Opportunity");
                foreach (var error in new[] { leadId.Error, accountId.Error, contactId.Error, createOpportunity.Error, opportunityName.Error, status.Error, owner.Error, opportunity.Error })
                    if (error is not null) return ToolResults.Error(error);
                if (string.IsNullOrWhiteSpace(leadId.Value)) return ToolResults.Error(Domain.Errors.CrmError.Required("convert_lead", "LeadId"));

                var request = new LeadConversionRequest(leadId.Value, Blank(accountId.Value), Blank(contactId.Value), createOpportunity.Value, opportunityName.Value, status.Value)
                {
                    OwnerId = Blank(owner.Value),
                    OpportunityFields = opportunity.Value is { } fields ? RecordInput.From(fields.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone()))) : null,
                };
                if (request.OpportunityFields is not null && !createOpportunity.Value)
                    return ToolResults.Error(new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidArgument,
                        "Opportunity sets fields of the opportunity the conversion creates, but CreateOpportunity is false. Leave one of them out.", "Opportunity"));
                var result = await conversion.ConvertAsync(caller, request, ct);
                return result.IsOk ? Converted(result.Value) : ToolResults.Error(result.Error);
            });
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The new Ids and the few values that matter, not whole records: get_record reads the rest.</summary>
    static CallToolResult Converted(LeadConversionResult result) => ToolResults.FromJson(w =>
    {
        w.WriteStartObject();
        w.WriteString("leadId", result.Lead.Id);
        w.WriteString("Status", (string?)result.Lead["Status"]);
        w.WriteString("accountId", result.Account.Id);
        w.WriteString("accountName", result.Account.DisplayName);
        w.WriteBoolean("accountCreated", result.AccountCreated);
        w.WriteString("contactId", result.Contact.Id);
        w.WriteString("contactName", result.Contact.DisplayName);
        w.WriteBoolean("contactCreated", result.ContactCreated);
        if (result.Opportunity is { } opportunity)
        {
            w.WriteString("opportunityId", opportunity.Id);
            w.WriteStartObject("opportunity");
            foreach (var field in new[] { "Name", "StageName", "Amount", "CloseDate", "OwnerId" })
            {
                if (opportunity[field] is not { } value) continue;
                w.WritePropertyName(field);
                ValueJson.Write(w, value);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    });
}
