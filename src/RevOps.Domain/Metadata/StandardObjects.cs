using System.Collections.Frozen;
using RevOps.Domain.Rules;
using static RevOps.Domain.Metadata.Fields;

namespace RevOps.Domain.Metadata;

/// <summary>The metadata registry of standard objects: the single source for validation, tool schemas and storage.</summary>
public static class StandardObjects
{
    public static readonly ObjectMetadata Account = new("Account", "001", "account",
    [
        .. SystemFields("Account"),
        Text("Name", "Account Name", 255, required: true, ignoreCase: true),
        Picklist("Type", "Account Type", Picklists.AccountType),
        Picklist("Industry", "Industry", Picklists.Industry),
        Number("AnnualRevenue", "Annual Revenue", FieldType.Currency),
        Number("NumberOfEmployees", "Employees", FieldType.Int),
        Url("Website", "Website"),
        Phone("Phone", "Account Phone"),
        Text("BillingCity", "Billing City", 40),
        Text("BillingState", "Billing State/Province", 80),
        Text("BillingCountry", "Billing Country", 80),
        LongText("Description", "Account Description"),
    ]);

    public static readonly ObjectMetadata Contact = new("Contact", "003", "contact",
    [
        .. SystemFields("Contact"),
        Text("FirstName", "First Name", 40, ignoreCase: true),
        Text("LastName", "Last Name", 80, required: true, ignoreCase: true),
        Derived(Text("Name", "Full Name", 121, ignoreCase: true)),
        Email("Email", "Email"),
        Phone("Phone", "Business Phone"),
        Phone("MobilePhone", "Mobile Phone"),
        Lookup("AccountId", "Account ID", "Account"),
        Text("Title", "Title", 128),
        Text("Department", "Department", 80),
        Picklist("LeadSource", "Lead Source", Picklists.LeadSource),
        Text("MailingCity", "Mailing City", 40),
        Text("MailingCountry", "Mailing Country", 80),
        LongText("Description", "Contact Description"),
    ]);

    public static readonly ObjectMetadata Opportunity = new("Opportunity", "006", "opportunity",
    [
        .. SystemFields("Opportunity"),
        Text("Name", "Opportunity Name", 120, required: true, ignoreCase: true),
        Picklist("StageName", "Stage", OpportunityStages.Names, required: true),
        Date("CloseDate", "Close Date", required: true),
        Number("Amount", "Amount", FieldType.Currency),
        Number("Probability", "Probability (%)", FieldType.Percent),
        Lookup("AccountId", "Account ID", "Account"),
        Picklist("Type", "Opportunity Type", Picklists.OpportunityType),
        Picklist("LeadSource", "Lead Source", Picklists.LeadSource),
        Text("NextStep", "Next Step", 255),
        Derived(Checkbox("IsClosed", "Closed")),
        Derived(Checkbox("IsWon", "Won")),
        Derived(Picklist("ForecastCategoryName", "Forecast Category", Picklists.ForecastCategory)),
        LongText("Description", "Description"),
    ]);

    public static readonly ObjectMetadata Task = new("Task", "00T", "task",
    [
        .. SystemFields("Task"),
        Text("Subject", "Subject", 255, required: true, ignoreCase: true),
        Lookup("WhoId", "Name ID", "Contact"),
        Lookup("WhatId", "Related To ID", "Account", "Opportunity"),
        Picklist("Status", "Status", Picklists.TaskStatus, required: true, defaultValue: "Not Started"),
        Picklist("Priority", "Priority", Picklists.TaskPriority, required: true, defaultValue: "Normal"),
        Date("ActivityDate", "Due Date Only"),
        Derived(Checkbox("IsClosed", "Closed")),
        LongText("Description", "Description"),
    ]);

    public static readonly ObjectMetadata Event = new("Event", "00U", "event",
    [
        .. SystemFields("Event"),
        Text("Subject", "Subject", 255, required: true, ignoreCase: true),
        DateTime("StartDateTime", "Start Date Time", required: true),
        DateTime("EndDateTime", "End Date Time", required: true),
        Lookup("WhoId", "Name ID", "Contact"),
        Lookup("WhatId", "Related To ID", "Account", "Opportunity"),
        Text("Location", "Location", 255),
        Checkbox("IsAllDayEvent", "All-Day Event"),
        LongText("Description", "Description"),
    ]);

    public static readonly IReadOnlyList<ObjectMetadata> All = [Account, Contact, Opportunity, Task, Event];

    static readonly FrozenDictionary<string, ObjectMetadata> ByName = All.ToFrozenDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
    static readonly FrozenDictionary<string, ObjectMetadata> ByPrefix = All.ToFrozenDictionary(o => o.KeyPrefix, StringComparer.Ordinal);

    public static bool TryGet(string name, out ObjectMetadata metadata) => ByName.TryGetValue(name, out metadata!);

    public static ObjectMetadata? ForKeyPrefix(string prefix) => ByPrefix.GetValueOrDefault(prefix);
}
