namespace RevOps.Domain.Search;

/// <summary>One record the index found, with the text it was found by and the figures worth showing.</summary>
/// <param name="Company">A Lead's Company; for Contacts and Opportunities, their Account's name.</param>
/// <param name="City">BillingCity (Account), MailingCity (Contact) or City (Lead).</param>
public sealed record SearchHit(
    string Object, string Id, string? Name, string? Email, string? Phone, string? MobilePhone,
    string? Company, string? Title, string? Website, string? City, string? StageName, double? Amount);
