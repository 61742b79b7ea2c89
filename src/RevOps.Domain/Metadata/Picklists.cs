namespace RevOps.Domain.Metadata;

/// <summary>Salesforce's standard picklist values for a new org.</summary>
public static class Picklists
{
    public static readonly IReadOnlyList<string> Industry =
    [
        "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction",
        "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Environmental",
        "Finance", "Food & Beverage", "Government", "Healthcare", "Hospitality", "Insurance", "Machinery",
        "Manufacturing", "Media", "Not For Profit", "Other", "Recreation", "Retail", "Shipping", "Technology",
        "Telecommunications", "Transportation", "Utilities",
    ];

    public static readonly IReadOnlyList<string> AccountType =
    [
        "Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
        "Installation Partner", "Technology Partner", "Other",
    ];

    public static readonly IReadOnlyList<string> LeadSource =
    [
        "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Referral", "Partner", "Advertisement",
        "Employee Referral", "External Referral", "Trade Show", "Word of mouth", "Other",
    ];

    public static readonly IReadOnlyList<string> OpportunityType =
        ["Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"];

    public static readonly IReadOnlyList<string> TaskStatus =
        ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"];

    public static readonly IReadOnlyList<string> TaskSubtype = ["Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"];

    public static readonly IReadOnlyList<string> TaskPriority = ["High", "Normal", "Low"];

    public static readonly IReadOnlyList<string> ForecastCategory = ["Omitted", "Pipeline", "Best Case", "Commit", "Closed"];

    public static readonly IReadOnlyList<string> Rating = ["Hot", "Warm", "Cold"];

    public static readonly IReadOnlyList<string> Salutation = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx."];

    /// <summary>Lead statuses; the ones marked converted in <see cref="ConvertedLeadStatuses"/> end a lead's life.</summary>
    public static readonly IReadOnlyList<string> LeadStatus = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"];

    public static readonly IReadOnlyList<string> ConvertedLeadStatuses = ["Closed - Converted"];

    public static readonly IReadOnlyList<string> ActivityType = ["Call", "Email", "Meeting", "Other"];

    public static readonly IReadOnlyList<string> Ownership = ["Public", "Private", "Subsidiary", "Other"];

    public static readonly IReadOnlyList<string> CallType = ["Internal", "Inbound", "Outbound"];

    public static readonly IReadOnlyList<string> ShowAs = ["Busy", "OutOfOffice", "Free"];

    /// <summary>The API values behind ForecastCategoryName, as Salesforce reports them in ForecastCategory.</summary>
    public static readonly IReadOnlyList<string> ForecastCategoryApi = ["Omitted", "Pipeline", "BestCase", "Forecast", "Closed"];
}
