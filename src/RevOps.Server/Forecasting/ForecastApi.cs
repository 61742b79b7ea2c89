using RevOps.Domain.Errors;
using RevOps.Domain.Forecasting;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Forecasting;

/// <summary>GET /api/forecast?period=&amp;from=&amp;to=&amp;ownerId=: the forecast tool over HTTP, same parameters, same answer. Needs the read scope.</summary>
public static class ForecastApi
{
    public static IEndpointRouteBuilder MapForecastApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/forecast", GetAsync).RequireAuthorization();
        return app;
    }

    static async Task<IResult> GetAsync(HttpContext http, ForecastService forecasts, CancellationToken ct)
    {
        if (ApiCaller.Of(http) is not { } caller) return Results.Challenge();
        if (!caller.Scopes.HasFlag(Scopes.Read))
            return ApiJson.Error(new CrmError(ErrorCodes.InsufficientAccess, "The forecast needs an API key with the read scope."));
        var q = http.Request.Query;
        string? Get(string name) => q.TryGetValue(name, out var v) ? v.ToString() : null;
        var forecast = await forecasts.ForecastAsync(caller, Get("period"), Get("from"), Get("to"), Get("ownerId"), ct);
        return forecast.IsOk ? ApiJson.Ok(w => ForecastJson.Write(w, forecast.Value)) : ApiJson.Error(forecast.Error);
    }
}
