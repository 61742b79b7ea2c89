using RevOps.Domain.Schema;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Admin;

/// <summary>
/// DELETE /api/custom-fields/{object}/{field} with an admin key: the field and its values go (<see cref="CustomFieldRemoval"/>),
/// refused with 409 and the rules and webhooks that use it while any does. Fields are defined with define_custom_field.
/// </summary>
public static class CustomFieldsApi
{
    public static RouteGroupBuilder MapCustomFieldsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/custom-fields").RequireAuthorization();
        api.MapDelete("/{object}/{field}", DeleteAsync);
        return api;
    }

    static async Task<IResult> DeleteAsync(HttpContext http, string @object, string field, CustomFieldRemoval removal, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Deleting custom fields");
        if (caller is null) return refusal!;
        var deleted = await removal.DeleteAsync(caller, @object, field, ct);
        if (!deleted.IsOk) return ApiJson.Error(deleted.Error);
        return ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", deleted.Value.Object);
            w.WriteString("field", deleted.Value.Field);
            w.WriteBoolean("deleted", true);
            w.WriteNumber("records_cleared", deleted.Value.RecordsCleared);
            w.WriteEndObject();
        });
    }
}
