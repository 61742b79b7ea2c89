using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>What to convert a lead into; existing records are reused, missing ones created.</summary>
public sealed record LeadConversionRequest(
    string? LeadId,
    string? AccountId = null,
    string? ContactId = null,
    bool CreateOpportunity = true,
    string? OpportunityName = null,
    string? ConvertedStatus = null)
{
    /// <summary>The owner of the records the conversion creates; the lead's owner when null, as in Salesforce.</summary>
    public string? OwnerId { get; init; }

    /// <summary>Fields of the new opportunity (Amount, CloseDate, StageName, …); they win over the defaults and OpportunityName.</summary>
    public RecordInput? OpportunityFields { get; init; }
}

public sealed record LeadConversionResult(Record Lead, Record Account, bool AccountCreated, Record Contact, bool ContactCreated, Record? Opportunity);

/// <summary>
/// Converts a Lead as Salesforce does: in one transaction it creates (or reuses) the Account and
/// Contact, optionally creates an Opportunity, moves the lead's open activities to the contact,
/// and marks the lead converted with the Ids it became. A lead converts once.
/// </summary>
public sealed class LeadConversion(IRecordStore store, RecordService records, TimeProvider time)
{
    const int MaxAttempts = 5;
    static readonly ObjectMetadata Lead = StandardObjects.Lead, Account = StandardObjects.Account, Contact = StandardObjects.Contact, Opportunity = StandardObjects.Opportunity;

    public async Task<CrmResult<LeadConversionResult>> ConvertAsync(Caller caller, LeadConversionRequest request, CancellationToken ct)
    {
        if (!caller.CanWrite) return RecordService.ReadOnlyKey(Lead);
        string status = request.ConvertedStatus?.Trim() is { Length: > 0 } s ? s : Picklists.ConvertedLeadStatuses[0];
        string? canonicalStatus = Picklists.ConvertedLeadStatuses.FirstOrDefault(v => string.Equals(v, status, StringComparison.OrdinalIgnoreCase));
        if (canonicalStatus is null)
            return new CrmError(ErrorCodes.InvalidPicklistValue, $"ConvertedStatus '{status}' is not a converted lead status. Send one of: {string.Join(", ", Picklists.ConvertedLeadStatuses)}.", "ConvertedStatus");

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var lead = await records.GetAsync(caller, Lead, request.LeadId, ct);
            if (!lead.IsOk) return lead.Error with { Field = "LeadId" };
            if (lead.Value["IsConverted"] is true)
                return new CrmError(ErrorCodes.AlreadyConverted,
                    $"Lead '{request.LeadId}' was already converted on {lead.Value["ConvertedDate"]:yyyy-MM-dd} into Account {lead.Value["ConvertedAccountId"]}, Contact {lead.Value["ConvertedContactId"]}" +
                    (lead.Value["ConvertedOpportunityId"] is string opp ? $" and Opportunity {opp}" : "") + ". Work with those records instead.", "LeadId");

            var plan = await PlanAsync(caller, lead.Value, request, canonicalStatus, ct);
            if (!plan.IsOk) return plan.Error;
            var result = await store.CommitAsync(caller.Tenant, plan.Value.Writes, null, ct);
            if (result.Committed) return plan.Value.Result;
            if (result.Failure == CommitFailure.DuplicateValue)
                return RecordService.DuplicateValue(plan.Value.Writes.First(w => w.UniqueFields.Any(f => f.Name == result.Field)).Record.Object, result);
        }
        return new CrmError(ErrorCodes.Conflict, $"Lead '{request.LeadId}' or its records are being changed by others right now. Retry the conversion.");
    }

    sealed record Plan(List<RecordWrite> Writes, LeadConversionResult Result);

    async Task<CrmResult<Plan>> PlanAsync(Caller caller, Record lead, LeadConversionRequest request, string status, CancellationToken ct)
    {
        var writes = new List<RecordWrite>();
        var now = FieldValues.TruncateToMillis(time.GetUtcNow().UtcDateTime);
        string? owner = request.OwnerId ?? lead["OwnerId"] as string;

        Record? contact = null;
        if (request.ContactId is not null)
        {
            var found = await records.GetAsync(caller, Contact, request.ContactId, ct);
            if (!found.IsOk) return found.Error with { Field = "ContactId" };
            contact = found.Value;
        }

        Record account;
        bool accountCreated = false;
        string? accountId = request.AccountId ?? contact?["AccountId"] as string;
        if (accountId is not null)
        {
            var found = await records.GetAsync(caller, Account, accountId, ct);
            if (!found.IsOk) return found.Error with { Field = "AccountId" };
            account = found.Value;
            if (contact is not null && contact["AccountId"] is string contactAccount && contactAccount != account.Id)
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"Contact {contact.Id} belongs to Account {contactAccount}, not {account.Id}. Send that AccountId, or leave AccountId out to use the contact's account.", "AccountId");
        }
        else
        {
            var insert = await records.PrepareInsertAsync(caller, Account, new RecordInput(Input(lead, owner,
                ("Name", "Company"), ("Industry", "Industry"), ("AnnualRevenue", "AnnualRevenue"), ("NumberOfEmployees", "NumberOfEmployees"),
                ("Website", "Website"), ("Phone", "Phone"), ("Rating", "Rating"), ("BillingStreet", "Street"), ("BillingCity", "City"),
                ("BillingState", "State"), ("BillingPostalCode", "PostalCode"), ("BillingCountry", "Country"))), ct);
            if (!insert.IsOk) return Explain(insert.Error, Account, request);
            writes.Add(insert.Value);
            account = insert.Value.Record;
            accountCreated = true;
        }

        bool contactCreated = false;
        if (contact is null)
        {
            var insert = await records.PrepareInsertAsync(caller, Contact, new RecordInput(Input(lead, owner,
                ("Salutation", "Salutation"), ("FirstName", "FirstName"), ("LastName", "LastName"), ("Title", "Title"), ("Email", "Email"),
                ("Phone", "Phone"), ("MobilePhone", "MobilePhone"), ("LeadSource", "LeadSource"), ("HasOptedOutOfEmail", "HasOptedOutOfEmail"),
                ("DoNotCall", "DoNotCall"), ("MailingStreet", "Street"), ("MailingCity", "City"), ("MailingState", "State"),
                ("MailingPostalCode", "PostalCode"), ("MailingCountry", "Country"), ("Description", "Description"))), ct);
            if (!insert.IsOk) return Explain(insert.Error, Contact, request);
            var linked = LinkedToAccount(insert.Value, account.Id);
            contact = linked.Record;
            writes.Add(linked);
            contactCreated = true;
        }
        else if (contact["AccountId"] is null)
        {
            var linked = contact.Copy();
            linked["AccountId"] = account.Id;
            writes.Add(Updated(caller, contact, linked, now));
            contact = linked;
        }

        Record? opportunity = null;
        if (request.CreateOpportunity)
        {
            string name = request.OpportunityName?.Trim() is { Length: > 0 } n ? n : DefaultOpportunityName((string)account["Name"]!);
            var input = Input(lead, owner, ("LeadSource", "LeadSource"));
            input.Add(new("Name", FieldApplier.ToJson(name)));
            input.Add(new("StageName", FieldApplier.ToJson(OpportunityStages.All[0].Name)));
            input.Add(new("CloseDate", FieldApplier.ToJson(EndOfQuarter(DateOnly.FromDateTime(now)).ToString("yyyy-MM-dd"))));
            var given = request.OpportunityFields?.Fields ?? [];
            if (given.FirstOrDefault(f => f.Key.Equals("AccountId", StringComparison.OrdinalIgnoreCase)).Key is not null)
                return new CrmError(ErrorCodes.InvalidArgument,
                    "Opportunity.AccountId: the new opportunity goes to the converted account. Send AccountId beside LeadId to use an existing account.", "Opportunity");
            input.RemoveAll(f => given.Any(g => g.Key.Equals(f.Key, StringComparison.OrdinalIgnoreCase)));
            input.AddRange(given);
            var insert = await records.PrepareInsertAsync(caller, Opportunity, new RecordInput(input), ct);
            if (!insert.IsOk)
            {
                if (insert.Error.Field is { } field && given.Any(g => g.Key.Equals(field, StringComparison.OrdinalIgnoreCase)))
                    return insert.Error with { Message = $"Opportunity.{field}: {insert.Error.Message}", Field = "Opportunity" };
                return Explain(insert.Error, Opportunity, request);
            }
            var linked = LinkedToAccount(insert.Value, account.Id);
            opportunity = linked.Record;
            writes.Add(linked);
        }

        // The lead's activities follow the person: WhoId moves to the contact (WhatId stays empty, as a lead's must be).
        // Those in the recycle bin move too, so restoring one later does not bring back a link to a converted lead.
        foreach (var (activity, deleted) in new[] { (StandardObjects.Task, false), (StandardObjects.Task, true), (StandardObjects.Event, false), (StandardObjects.Event, true) })
        {
            var query = new RecordQuery([[new Condition(activity.Field("WhoId"), ConditionOp.Equals, lead.Id)]], activity.Field("Id"), false, 10_000) { Deleted = deleted };
            foreach (var row in await store.QueryAsync(caller.Tenant, activity, query, ct))
            {
                var moved = row.Copy();
                moved["WhoId"] = contact.Id;
                // A task's AccountId follows its Contact (a lead's activities have no WhatId).
                if (activity == StandardObjects.Task) moved["AccountId"] = contact["AccountId"];
                writes.Add(Updated(caller, row, moved, now));
            }
        }

        var converted = lead.Copy();
        converted["IsConverted"] = true;
        converted["Status"] = status;
        converted["ConvertedDate"] = DateOnly.FromDateTime(now);
        converted["ConvertedAccountId"] = account.Id;
        converted["ConvertedContactId"] = contact.Id;
        converted["ConvertedOpportunityId"] = opportunity?.Id;
        writes.Add(Updated(caller, lead, converted, now, ChangeOperations.Converted));

        return new Plan(writes, new LeadConversionResult(converted, account, accountCreated, contact, contactCreated, opportunity));
    }

    /// <summary>
    /// Sets AccountId on a record prepared for insert, and in its "created" change so the change log and webhooks see the link.
    /// Not checked against the store: the account may be created in this same transaction.
    /// </summary>
    static RecordWrite LinkedToAccount(RecordWrite insert, string accountId)
    {
        insert.Record["AccountId"] = accountId;
        return insert with { Change = insert.Change with { Changes = [.. insert.Change.Changes, new FieldChange("AccountId", null, accountId)] } };
    }

    static RecordWrite Updated(Caller caller, Record before, Record after, DateTime now, string operation = ChangeOperations.Updated)
    {
        after["LastModifiedDate"] = now;
        after["SystemModstamp"] = now;
        after["LastModifiedById"] = caller.ActorId;
        var changes = RecordService.Diff(before, after);
        return new RecordWrite(after, before.Version, ChangeEntry.By(caller, after.Object.Name, after.Id, operation, changes, now));
    }

    /// <summary>The lead's values for the target's fields, as input to the target's own validation.</summary>
    /// <summary>The lead's values under the new record's field names, with the new record's owner.</summary>
    static List<KeyValuePair<string, JsonElement>> Input(Record lead, string? owner, params (string Target, string Source)[] map)
    {
        var input = new List<KeyValuePair<string, JsonElement>>();
        if (owner is not null) input.Add(new("OwnerId", FieldApplier.ToJson(owner)));
        foreach (var (target, source) in map)
            if (lead[source] is { } value) input.Add(new(target, FieldApplier.ToJson(value)));
        return input;
    }

    /// <summary>Why the lead cannot become <paramref name="target"/>; an OwnerId the caller sent is theirs to fix, not the lead's.</summary>
    static CrmResult<Plan> Explain(CrmError error, ObjectMetadata target, LeadConversionRequest request) =>
        request.OwnerId is not null && error.Field == "OwnerId" && error.Code == ErrorCodes.InvalidCrossReference
            ? error with { Message = $"OwnerId: no active User '{request.OwnerId}' in this org. Find users with SOQL SELECT Id, Name FROM User WHERE IsActive = true, or leave OwnerId out to give the new records the lead's owner." }
            : error with { Message = $"The lead cannot become {Suggestions.WithArticle(target.Name)}: {error.Message} Fix the lead with update_record, then convert again." };

    /// <summary>"Company-", as Salesforce names it; a company name longer than an opportunity name can hold is cut to fit.</summary>
    static string DefaultOpportunityName(string company)
    {
        int room = Opportunity.Field("Name").Length - 1;
        return (company.Length > room ? company[..room].TrimEnd() : company) + "-";
    }

    static DateOnly EndOfQuarter(DateOnly day)
    {
        int lastMonth = (day.Month - 1) / 3 * 3 + 3;
        return new DateOnly(day.Year, lastMonth, DateTime.DaysInMonth(day.Year, lastMonth));
    }
}
