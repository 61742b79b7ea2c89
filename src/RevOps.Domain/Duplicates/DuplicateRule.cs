using RevOps.Domain.Metadata;

namespace RevOps.Domain.Duplicates;

/// <summary>What a tenant's rule does when it matches: nothing (not checked), list the matches, or refuse the create.</summary>
public enum DuplicateAction
{
    Off,
    Report,
    Block,
}

/// <summary>
/// The duplicate rules, each checked for new records of the objects it names: the same email (Contacts and Leads,
/// either way round), the same name at the same Account (Contacts) or Company (Leads), the same phone number's
/// national part (Contacts and Leads), and for Accounts the same name without its legal suffix or the same website domain.
/// </summary>
public static class DuplicateRule
{
    public const string Email = "email";
    public const string NameAccount = "name_account";
    public const string Phone = "phone";
    public const string Name = "name";
    public const string Website = "website";

    public static IReadOnlyList<string> All { get; } = [Email, NameAccount, Phone, Name, Website];

    /// <summary>Whether new records of <paramref name="obj"/> are checked by <paramref name="rule"/>.</summary>
    public static bool Applies(string rule, ObjectMetadata obj) => rule switch
    {
        Email or NameAccount or Phone => obj == StandardObjects.Contact || obj == StandardObjects.Lead,
        Name or Website => obj == StandardObjects.Account,
        _ => false,
    };

    /// <summary>Whether any rule checks new records of <paramref name="obj"/>.</summary>
    public static bool Checks(ObjectMetadata obj) =>
        obj == StandardObjects.Contact || obj == StandardObjects.Lead || obj == StandardObjects.Account;

    public static string? Parse(string? text) =>
        All.FirstOrDefault(r => string.Equals(r, text?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static DuplicateAction? ParseAction(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "off" => DuplicateAction.Off,
        "report" => DuplicateAction.Report,
        "block" => DuplicateAction.Block,
        _ => null,
    };

    public static string Text(DuplicateAction action) => action switch
    {
        DuplicateAction.Off => "off",
        DuplicateAction.Block => "block",
        _ => "report",
    };
}
