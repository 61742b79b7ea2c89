using System.Collections.Frozen;
using RevOps.Domain.Rules;
using static RevOps.Domain.Metadata.Fields;

namespace RevOps.Domain.Metadata;

/// <summary>The metadata registry of standard objects: the single source for validation, tool schemas, describe and storage.</summary>
public static class StandardObjects
{
    public static readonly ObjectMetadata Account = new("Account", "001", "account",
    [
        .. SystemFields("Account"),
        Owner(),
        Text("Name", "Account Name", 255, required: true, ignoreCase: true),
        Text("AccountNumber", "Account Number", 40),
        Picklist("Type", "Account Type", Picklists.AccountType),
        Picklist("Industry", "Industry", Picklists.Industry),
        Picklist("Rating", "Account Rating", Picklists.Rating),
        Number("AnnualRevenue", "Annual Revenue", FieldType.Currency, precision: 18, scale: 0),
        Number("NumberOfEmployees", "Employees", FieldType.Int, precision: 8),
        Lookup("ParentId", "Parent Account ID", "Account"),
        Url("Website", "Website"),
        Phone("Phone", "Account Phone"),
        Phone("Fax", "Account Fax"),
        Address("BillingStreet", "Billing Street"),
        Text("BillingCity", "Billing City", 40),
        Text("BillingState", "Billing State/Province", 80),
        Text("BillingPostalCode", "Billing Zip/Postal Code", 20),
        Text("BillingCountry", "Billing Country", 80),
        Address("ShippingStreet", "Shipping Street"),
        Text("ShippingCity", "Shipping City", 40),
        Text("ShippingState", "Shipping State/Province", 80),
        Text("ShippingPostalCode", "Shipping Zip/Postal Code", 20),
        Text("ShippingCountry", "Shipping Country", 80),
        LongText("Description", "Account Description"),
        // Salesforce's commonly used standard fields, added with the users issue (migration 0013).
        Picklist("AccountSource", "Account Source", Picklists.LeadSource),
        Text("Site", "Account Site", 80),
        Text("TickerSymbol", "Ticker Symbol", 20),
        Picklist("Ownership", "Ownership", Picklists.Ownership),
        Text("Sic", "SIC Code", 20),
        Text("YearStarted", "Year Started", 4),
    ]);

    public static readonly ObjectMetadata Contact = new("Contact", "003", "contact",
    [
        .. SystemFields("Contact"),
        Owner(),
        Picklist("Salutation", "Salutation", Picklists.Salutation),
        Text("FirstName", "First Name", 40, ignoreCase: true),
        Text("LastName", "Last Name", 80, required: true, ignoreCase: true),
        Derived(Text("Name", "Full Name", 121, ignoreCase: true)),
        Email("Email", "Email"),
        Phone("Phone", "Business Phone"),
        Phone("MobilePhone", "Mobile Phone"),
        Phone("HomePhone", "Home Phone"),
        Phone("Fax", "Business Fax"),
        Lookup("AccountId", "Account ID", "Account"),
        Lookup("ReportsToId", "Reports To ID", "Contact"),
        Text("Title", "Title", 128),
        Text("Department", "Department", 80),
        Date("Birthdate", "Birthdate"),
        Picklist("LeadSource", "Lead Source", Picklists.LeadSource),
        Checkbox("HasOptedOutOfEmail", "Email Opt Out"),
        Checkbox("DoNotCall", "Do Not Call"),
        Address("MailingStreet", "Mailing Street"),
        Text("MailingCity", "Mailing City", 40),
        Text("MailingState", "Mailing State/Province", 80),
        Text("MailingPostalCode", "Mailing Zip/Postal Code", 20),
        Text("MailingCountry", "Mailing Country", 80),
        LongText("Description", "Contact Description"),
        Phone("OtherPhone", "Other Phone"),
        Text("AssistantName", "Assistant's Name", 40),
        Phone("AssistantPhone", "Asst. Phone"),
    ]);

    public static readonly ObjectMetadata Lead = new("Lead", "00Q", "lead",
    [
        .. SystemFields("Lead"),
        Owner(),
        Picklist("Salutation", "Salutation", Picklists.Salutation),
        Text("FirstName", "First Name", 40, ignoreCase: true),
        Text("LastName", "Last Name", 80, required: true, ignoreCase: true),
        Derived(Text("Name", "Full Name", 121, ignoreCase: true)),
        Text("Company", "Company", 255, required: true, ignoreCase: true),
        Text("Title", "Title", 128),
        Email("Email", "Email"),
        Phone("Phone", "Phone"),
        Phone("MobilePhone", "Mobile Phone"),
        Url("Website", "Website"),
        Picklist("Status", "Lead Status", Picklists.LeadStatus, required: true, defaultValue: "Open - Not Contacted"),
        Picklist("Rating", "Rating", Picklists.Rating),
        Picklist("LeadSource", "Lead Source", Picklists.LeadSource),
        Picklist("Industry", "Industry", Picklists.Industry),
        Number("AnnualRevenue", "Annual Revenue", FieldType.Currency, precision: 18, scale: 0),
        Number("NumberOfEmployees", "Employees", FieldType.Int, precision: 8),
        Address("Street", "Street"),
        Text("City", "City", 40),
        Text("State", "State/Province", 80),
        Text("PostalCode", "Zip/Postal Code", 20),
        Text("Country", "Country", 80),
        Checkbox("HasOptedOutOfEmail", "Email Opt Out"),
        Checkbox("DoNotCall", "Do Not Call"),
        LongText("Description", "Description"),
        Derived(Checkbox("IsConverted", "Converted")),
        Derived(Date("ConvertedDate", "Converted Date")),
        Derived(Lookup("ConvertedAccountId", "Converted Account ID", "Account")),
        Derived(Lookup("ConvertedContactId", "Converted Contact ID", "Contact")),
        Derived(Lookup("ConvertedOpportunityId", "Converted Opportunity ID", "Opportunity")),
        Phone("Fax", "Fax"),
    ]);

    public static readonly ObjectMetadata Opportunity = new("Opportunity", "006", "opportunity",
    [
        .. SystemFields("Opportunity"),
        Owner(),
        Text("Name", "Opportunity Name", 120, required: true, ignoreCase: true),
        Picklist("StageName", "Stage", OpportunityStages.Names, required: true),
        Date("CloseDate", "Close Date", required: true),
        Number("Amount", "Amount", FieldType.Currency, precision: 18, scale: 2),
        Number("Probability", "Probability (%)", FieldType.Percent, precision: 3, scale: 0),
        Derived(Number("ExpectedRevenue", "Expected Amount", FieldType.Currency, precision: 18, scale: 2)),
        Lookup("AccountId", "Account ID", "Account"),
        Picklist("Type", "Opportunity Type", Picklists.OpportunityType),
        Picklist("LeadSource", "Lead Source", Picklists.LeadSource),
        Text("NextStep", "Next Step", 255),
        Derived(Checkbox("IsClosed", "Closed")),
        Derived(Checkbox("IsWon", "Won")),
        Derived(Picklist("ForecastCategory", "Forecast Category", Picklists.ForecastCategoryApi)),
        Derived(Picklist("ForecastCategoryName", "Forecast Category Name", Picklists.ForecastCategory)),
        LongText("Description", "Description"),
        Checkbox("IsPrivate", "Private") with { DefaultValue = null },
        Number("TotalOpportunityQuantity", "Quantity", FieldType.Double, precision: 18, scale: 2),
    ]);

    public static readonly ObjectMetadata Task = new("Task", "00T", "task",
    [
        .. SystemFields("Task"),
        Owner(),
        Text("Subject", "Subject", 255, required: true, ignoreCase: true),
        Lookup("WhoId", "Name ID", "Contact", "Lead"),
        Lookup("WhatId", "Related To ID", "Account", "Opportunity"),
        Picklist("Status", "Status", Picklists.TaskStatus, required: true, defaultValue: "Not Started"),
        Picklist("Priority", "Priority", Picklists.TaskPriority, required: true, defaultValue: "Normal"),
        Picklist("Type", "Type", Picklists.ActivityType),
        Date("ActivityDate", "Due Date Only"),
        Derived(Checkbox("IsClosed", "Closed")),
        Derived(Lookup("AccountId", "Account ID", "Account")),
        Picklist("TaskSubtype", "Task Subtype", Picklists.TaskSubtype, defaultValue: "Task") with { Updateable = false },
        LongText("Description", "Description"),
        Number("CallDurationInSeconds", "Call Duration", FieldType.Int, precision: 8),
        Picklist("CallType", "Call Type", Picklists.CallType),
        Text("CallDisposition", "Call Result", 255),
        // The telephony system's id of the call (Twilio's CallSid); voice logging keeps one Task per value (migration 0023).
        Text("CallObject", "Call Object Identifier", 255),
        DateTime("ReminderDateTime", "Reminder Date/Time"),
        Checkbox("IsReminderSet", "Reminder Set") with { DefaultValue = null },
    ]);

    public static readonly ObjectMetadata Event = new("Event", "00U", "event",
    [
        .. SystemFields("Event"),
        Owner(),
        Text("Subject", "Subject", 255, required: true, ignoreCase: true),
        // Start and end may come as StartDateTime/EndDateTime or, the classic way, as ActivityDateTime
        // (or ActivityDate for all-day events) and DurationInMinutes; ObjectRules keeps all five consistent.
        DateTime("StartDateTime", "Start Date Time"),
        DateTime("EndDateTime", "End Date Time"),
        DateTime("ActivityDateTime", "Due Date Time"),
        Number("DurationInMinutes", "Duration", FieldType.Int, precision: 8),
        Date("ActivityDate", "Due Date Only"),
        Lookup("WhoId", "Name ID", "Contact", "Lead"),
        Lookup("WhatId", "Related To ID", "Account", "Opportunity"),
        Picklist("Type", "Type", Picklists.ActivityType),
        Text("Location", "Location", 255),
        Checkbox("IsAllDayEvent", "All-Day Event"),
        LongText("Description", "Description"),
        Picklist("ShowAs", "Show Time As", Picklists.ShowAs),
        Checkbox("IsPrivate", "Private") with { DefaultValue = null },
    ]);

    /// <summary>
    /// The people of an org. Readable everywhere records are; written only by admins through the user
    /// commands (revops user, /api/users), never through the generic record channels.
    /// </summary>
    public static readonly ObjectMetadata User = new("User", "005", "users",
    [
        .. SystemFields("User"),
        Fields.Email("Username", "Username") with { Length = 80 },
        Fields.Email("Email", "Email") with { Required = true },
        Text("FirstName", "First Name", 40, ignoreCase: true),
        Text("LastName", "Last Name", 80, required: true, ignoreCase: true),
        Derived(Text("Name", "Full Name", 121, ignoreCase: true)),
        Text("Alias", "Alias", 8),
        Text("Title", "Title", 80),
        Text("Department", "Department", 80),
        Text("CompanyName", "Company Name", 80),
        Phone("Phone", "Phone"),
        Phone("MobilePhone", "Mobile"),
        Lookup("ManagerId", "Manager ID", "User"),
        Checkbox("IsActive", "Active", defaultValue: true),
        Text("TimeZoneSidKey", "Time Zone", 40),
        Text("LocaleSidKey", "Locale", 40),
        Text("LanguageLocaleKey", "Language", 40),
        Derived(Picklist("UserType", "User Type", ["Standard"])),
        Derived(DateTime("LastLoginDate", "Last Login")),
    ]) { Writable = false };

    /// <summary>Objects a file can be linked to (FirstPublishLocationId, ContentDocumentLink.LinkedEntityId).</summary>
    static readonly string[] FileParents = ["Account", "Contact", "Lead", "Opportunity", "Task", "Event", "User"];

    /// <summary>
    /// One version of a file (docs/files.md). Created with its bytes only (VersionData, through the file
    /// path of the REST API or create_record), never by the record channels alone; the bytes live in the
    /// blob store under their SHA-256 (table content_blob); Checksum is their MD5, as in Salesforce.
    /// </summary>
    public static readonly ObjectMetadata ContentVersion = new("ContentVersion", "068", "content_version",
    [
        .. SystemFields("ContentVersion"),
        Owner(),
        Text("Title", "Title", 255, ignoreCase: true),
        Text("PathOnClient", "Path On Client", 500, required: true),
        LongText("Description", "Description"),
        Text("ReasonForChange", "Reason For Change", 1000),
        Lookup("ContentDocumentId", "ContentDocument ID", "ContentDocument") with { Updateable = false },
        Lookup("FirstPublishLocationId", "First Publish Location ID", FileParents) with { Updateable = false },
        Derived(Number("ContentSize", "Size", FieldType.Int, precision: 18)),
        Derived(Text("FileType", "File Type", 20)),
        Derived(Text("FileExtension", "File Extension", 40)),
        Derived(Text("Checksum", "Checksum", 64)),
        Derived(Checkbox("IsLatest", "Is Latest")),
        Derived(Text("VersionNumber", "Version Number", 20)),
    ]) { CreatedThrough = "ContentVersion records are created together with their file: send VersionData (base64) in POST /services/data/vXX.X/sobjects/ContentVersion or create_record, or the file as the multipart part VersionData." };

    /// <summary>A file across its versions: created with its first ContentVersion, kept in step with the latest.</summary>
    public static readonly ObjectMetadata ContentDocument = new("ContentDocument", "069", "content_document",
    [
        .. SystemFields("ContentDocument"),
        Owner(),
        Text("Title", "Title", 255, ignoreCase: true),
        LongText("Description", "Description"),
        Derived(Lookup("LatestPublishedVersionId", "Latest Published Version ID", "ContentVersion")),
        Derived(Number("ContentSize", "Size", FieldType.Int, precision: 18)),
        Derived(Text("FileType", "File Type", 20)),
        Derived(Text("FileExtension", "File Extension", 40)),
    ]) { CreatedThrough = "A ContentDocument is created with its first ContentVersion: create a ContentVersion (with VersionData) instead, and send ContentDocumentId on later versions." };

    /// <summary>A file shared with a record: created from FirstPublishLocationId, or directly to share a file with another record.</summary>
    public static readonly ObjectMetadata ContentDocumentLink = new("ContentDocumentLink", "06A", "content_document_link",
    [
        .. SystemFields("ContentDocumentLink"),
        Lookup("ContentDocumentId", "ContentDocument ID", "ContentDocument") with { Required = true, Updateable = false },
        Lookup("LinkedEntityId", "Linked Entity ID", FileParents) with { Required = true, Updateable = false },
        Picklist("ShareType", "Share Type", ["V", "C", "I"], defaultValue: "V"),
        Picklist("Visibility", "Visibility", ["AllUsers", "InternalUsers", "SharedUsers"], defaultValue: "AllUsers"),
    ]);

    /// <summary>The objects of files (docs/files.md).</summary>
    public static readonly IReadOnlyList<ObjectMetadata> Files = [ContentVersion, ContentDocument, ContentDocumentLink];

    public static readonly IReadOnlyList<ObjectMetadata> All = [Account, Contact, Lead, Opportunity, Task, Event, User, ContentVersion, ContentDocument, ContentDocumentLink];

    // Salesforce's plural labels (describe's labelPlural); "Opportunitys" is what appending an s gives.
    static readonly FrozenDictionary<string, string> Plurals = new Dictionary<string, string>
    {
        ["Account"] = "Accounts", ["Contact"] = "Contacts", ["Lead"] = "Leads", ["Opportunity"] = "Opportunities", ["Task"] = "Tasks", ["Event"] = "Events", ["User"] = "Users",
        ["ContentVersion"] = "Content Versions", ["ContentDocument"] = "Content Documents", ["ContentDocumentLink"] = "Content Document Links",
    }.ToFrozenDictionary();

    public static string PluralOf(string name) => Plurals.GetValueOrDefault(name, name + "s");

    /// <summary>The audit fields every object carries besides Id: the server keeps them, nobody writes them.</summary>
    public static readonly IReadOnlySet<string> AuditFields = new HashSet<string>(StringComparer.Ordinal)
        { "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp" };

    /// <summary>The objects whose records have an owner (OwnerId).</summary>
    public static readonly IReadOnlyList<ObjectMetadata> Owned = [Account, Contact, Lead, Opportunity, Task, Event];

    static readonly FrozenDictionary<string, ObjectMetadata> ByName = All.ToFrozenDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
    static readonly FrozenDictionary<string, ObjectMetadata> ByPrefix = All.ToFrozenDictionary(o => o.KeyPrefix, StringComparer.Ordinal);

    public static bool TryGet(string name, out ObjectMetadata metadata) => ByName.TryGetValue(name, out metadata!);

    public static ObjectMetadata? ForKeyPrefix(string prefix) => ByPrefix.GetValueOrDefault(prefix);
}
