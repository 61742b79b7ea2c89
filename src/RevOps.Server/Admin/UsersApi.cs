using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Users;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Admin;

/// <summary>
/// A tenant's users, managed with one of its admin keys: list, create, read, deactivate (their keys stop at
/// once, their records keep their owner) and activate. Anyone may read users through the record channels
/// (SOQL, get_record); only these endpoints and `revops user` change them.
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/users").RequireAuthorization();
        api.MapGet("", ListAsync);
        api.MapPost("", CreateAsync);
        api.MapGet("/{user}", GetAsync);
        api.MapPost("/{user}/deactivate", (string user, HttpContext http, UserService users, CancellationToken ct) => SetActiveAsync(user, false, http, users, ct));
        api.MapPost("/{user}/activate", (string user, HttpContext http, UserService users, CancellationToken ct) => SetActiveAsync(user, true, http, users, ct));
        return api;
    }

    const string Example = "{\"email\": \"sarah@acme.com\", \"name\": \"Sarah Johnson\", \"title\": \"VP Sales\", \"admin\": false}";

    static async Task<IResult> ListAsync(HttpContext http, UserService users, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Listing users");
        if (caller is null) return refusal!;
        var all = await users.ListAsync(caller.Tenant, ct);
        return ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("users");
            foreach (var user in all) Write(w, user);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static async Task<IResult> GetAsync(string user, HttpContext http, UserService users, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Reading users");
        if (caller is null) return refusal!;
        var found = await users.FindAsync(caller.Tenant, user, ct);
        return found.IsOk ? ApiJson.Ok(w => Write(w, found.Value)) : ApiJson.Error(found.Error);
    }

    /// <summary>{"email", "name", "username" (default the email), "title", "department", "time_zone", "admin"} → 201 with the user.</summary>
    static async Task<IResult> CreateAsync(HttpContext http, UserService users, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Creating users");
        if (caller is null) return refusal!;
        var (spec, problem) = await ReadAsync(http, ct);
        if (problem is not null) return ApiJson.Error(problem);
        var created = await users.CreateAsync(caller.Tenant, spec!, AuditSource.Of(caller), ct);
        return created.IsOk ? ApiJson.Ok(w => Write(w, created.Value), StatusCodes.Status201Created) : ApiJson.Error(created.Error);
    }

    static async Task<IResult> SetActiveAsync(string user, bool active, HttpContext http, UserService users, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, active ? "Activating users" : "Deactivating users");
        if (caller is null) return refusal!;
        var changed = await users.SetActiveAsync(caller.Tenant, user, active, AuditSource.Of(caller), ct);
        return changed.IsOk ? ApiJson.Ok(w => Write(w, changed.Value)) : ApiJson.Error(changed.Error);
    }

    /// <summary>Id, Username, Name, Email, Title, Department, IsActive, TimeZoneSidKey, LastLoginDate, CreatedDate, plus is_admin and has_password.</summary>
    static void Write(Utf8JsonWriter w, UserView user)
    {
        var r = user.Record;
        w.WriteStartObject();
        foreach (var field in new[] { "Id", "Username", "Name", "FirstName", "LastName", "Email", "Alias", "Title", "Department", "TimeZoneSidKey" })
            if (r[field] is string value) w.WriteString(field, value); else w.WriteNull(field);
        w.WriteBoolean("IsActive", user.IsActive);
        ApiJson.WriteTime(w, "LastLoginDate", r["LastLoginDate"] as DateTime?);
        ApiJson.WriteTime(w, "CreatedDate", r["CreatedDate"] as DateTime?);
        w.WriteBoolean("is_admin", user.IsAdmin);
        w.WriteBoolean("has_password", user.HasPassword);
        w.WriteEndObject();
    }


    static async Task<(NewUser? Spec, CrmError? Problem)> ReadAsync(HttpContext http, CancellationToken ct)
    {
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return (null, new CrmError(ErrorCodes.InvalidArgument, $"The body must be JSON like {Example}."));
        }
        using (body)
        {
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, new CrmError(ErrorCodes.InvalidArgument, $"The body must be a JSON object like {Example}."));
            var text = new Dictionary<string, string?>(StringComparer.Ordinal);
            bool admin = false;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "email" or "name" or "username" or "title" or "department" or "time_zone" or "first_name" or "last_name" or "phone" or "mobile_phone":
                        if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                            return (null, new CrmError(ErrorCodes.InvalidFieldValue, $"{property.Name} {Clip(property.Value.GetRawText())} is not text.", property.Name));
                        text[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                        break;
                    case "admin":
                        if (property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                            return (null, new CrmError(ErrorCodes.InvalidFieldValue, $"admin {Clip(property.Value.GetRawText())} is not true or false.", "admin"));
                        admin = property.Value.GetBoolean();
                        break;
                    default:
                        return (null, new CrmError(ErrorCodes.InvalidArgument,
                            $"'{Clip(property.Name)}' is not a user setting; send email, name, username, title, department, time_zone, phone, mobile_phone and admin, e.g. {Example}.", property.Name));
                }
            }
            return (new NewUser(text.GetValueOrDefault("email"), text.GetValueOrDefault("name"))
            {
                Username = text.GetValueOrDefault("username"),
                FirstName = text.GetValueOrDefault("first_name"),
                LastName = text.GetValueOrDefault("last_name"),
                Title = text.GetValueOrDefault("title"),
                Department = text.GetValueOrDefault("department"),
                Phone = text.GetValueOrDefault("phone"),
                MobilePhone = text.GetValueOrDefault("mobile_phone"),
                TimeZone = text.GetValueOrDefault("time_zone"),
                IsAdmin = admin,
            }, null);
        }
    }

    static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
