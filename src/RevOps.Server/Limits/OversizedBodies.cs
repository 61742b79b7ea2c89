using Microsoft.AspNetCore.Http.Features;

namespace RevOps.Server.Limits;

/// <summary>
/// How a body over the limit is refused so that ordinary clients read the 413: a client that
/// sends its whole body before reading (HttpClient, fetch) sees a broken pipe if the server
/// answers and closes mid-upload, so bodies up to <see cref="HardCapFactor"/> times the limit are
/// read to the end and discarded first. Only beyond that is the connection cut (Kestrel's own cap).
/// </summary>
public static class OversizedBodies
{
    public const int HardCapFactor = 16;

    public static long HardCap(long maxBody) => maxBody * HardCapFactor;

    /// <summary>Reads and drops the rest of the body; false when it ran past the hard cap or the client left.</summary>
    public static async Task<bool> DrainAsync(HttpContext http)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await http.Request.Body.ReadAsync(buffer, http.RequestAborted) > 0)
            {
            }
            return true;
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The limit on every path that has no refusal of its own (/tenants, /api/…): a declared length over
    /// it is drained and answered 413 with our JSON error; a chunked body past it fails its read.
    /// (/mcp and /services answer in their own formats.)
    /// </summary>
    public static IApplicationBuilder UseBodyLimit(this IApplicationBuilder app, long maxBody) => app.UseWhen(
        http => !http.Request.Path.StartsWithSegments("/mcp") && !http.Request.Path.StartsWithSegments("/services"),
        branch => branch.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > maxBody)
            {
                await DrainAsync(http);
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await http.Response.WriteAsJsonAsync(new Json.ErrorBody("payload_too_large", $"The request body is larger than the {maxBody:N0} bytes allowed."),
                    Json.ServerJson.Default.ErrorBody, cancellationToken: http.RequestAborted);
                return;
            }
            LimitTo(http, maxBody);
            await next(http);
        }));

    /// <summary>For endpoints that read the body themselves: a chunked body past the limit fails the read (and gets 413).</summary>
    public static void LimitTo(HttpContext http, long maxBody)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = maxBody;
    }
}
