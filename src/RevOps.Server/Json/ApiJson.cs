using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Server.Auth;

namespace RevOps.Server.Json;

/// <summary>Answers of the /api endpoints: JSON objects, and errors as {"error": CODE, "message"}.</summary>
public static class ApiJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static IResult Ok(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) =>
        Results.Text(RecordJson.Build(write).Text, ContentType, System.Text.Encoding.UTF8, status);

    public static IResult Error(CrmError error) => Error(error.Code, error.Message, error.Code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.InsufficientAccess => StatusCodes.Status403Forbidden,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    });

    /// <summary>A UTC time to the second as /api answers it ("2026-12-05T22:44:51Z"), or null.</summary>
    public static void WriteTime(Utf8JsonWriter w, string name, DateTime? time)
    {
        if (time is { } t) w.WriteString(name, t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        else w.WriteNull(name);
    }

    public static IResult Error(string code, string message, int status)
    {
        Observability.RequestMetrics.Error(ApiCaller.Channel, code);
        return TypedResults.Json(new ErrorBody(code, message), ServerJson.Default.ErrorBody, statusCode: status);
    }
}
