using RevOps.Domain.Records;

namespace RevOps.Domain.Users;

/// <summary>A user's record with what only the server knows of it.</summary>
public sealed record UserView(Record Record, bool IsAdmin, bool HasPassword)
{
    public string Id => Record.Id;

    public string Name => Record["Name"] as string ?? "";

    public string Username => Record["Username"] as string ?? "";

    public string Email => Record["Email"] as string ?? "";

    public bool IsActive => Record["IsActive"] is true;
}

/// <summary>A user to create: the email is also the username unless one is given; the name is split at its last space.</summary>
public sealed record NewUser(string? Email, string? Name)
{
    public string? Username { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Title { get; init; }
    public string? Department { get; init; }
    /// <summary>The user's numbers; voice logging makes the user whose number took a call its owner.</summary>
    public string? Phone { get; init; }
    public string? MobilePhone { get; init; }
    public string? TimeZone { get; init; }
    public bool IsAdmin { get; init; }
}
