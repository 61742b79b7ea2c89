using System.Diagnostics;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;
using RevOps.Server.Mcp.Transport;
using RevOps.Server.Observability;
using RevOps.Server.Usage;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// What happens around every call of a <see cref="CrmTool"/>, in order: resolve the caller (and its
/// request id), refuse write tools to read-only keys, reject unknown arguments, register long calls
/// for notifications/cancelled, then run the tool and meter the call per tenant, tool, outcome and
/// latency. Installed as the SDK's call-tool filter, inside the SDK's own exception handling, so a
/// tool that throws still becomes an isError result (and is metered as a failure). Other tools
/// (e.g. the conformance fixtures) pass through untouched.
/// </summary>
public sealed class ToolCallPipeline(UsageMeter meter, CancellableCalls calls)
{
    /// <summary>The call-tool filter: wraps the SDK's handler, which ends in <see cref="CrmTool.InvokeAsync"/>.</summary>
    public McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (request, ct) => request.MatchedPrimitive is CrmTool tool ? InvokeAsync(tool, request, next, ct) : next(request, ct);

    ValueTask<CallToolResult> InvokeAsync(CrmTool tool, RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, CancellationToken ct)
    {
        var services = request.Services ?? throw new InvalidOperationException("MCP requests carry the request's services.");
        return RunAsync(tool, CallerOf(request.User, services), request.Params?.Arguments,
            (caller, args) => ConfirmAsync(tool, request, caller, args, ct),
            call =>
            {
                request.Items[ToolCall.Key] = call;
                return tool.LongRunning ? InvokeCancellableAsync(request, call.Caller, next, ct) : next(request, ct);
            });
    }

    /// <summary>The caller of an MCP request, with the request's id, or null when no tenant is authenticated.</summary>
    public static Caller? CallerOf(System.Security.Claims.ClaimsPrincipal? user, IServiceProvider services) =>
        CallerResolver.Resolve(user, services) is { } resolved ? resolved with { RequestId = RequestIds.Current(services) } : null;

    /// <summary>The caller of an MCP request whose HTTP context is at hand: the same caller, without finding the context through the services.</summary>
    public static Caller? CallerOf(System.Security.Claims.ClaimsPrincipal? user, Microsoft.AspNetCore.Http.HttpContext http) =>
        CallerResolver.Resolve(user, http.RequestServices) is { } resolved ? resolved with { RequestId = RequestIds.Of(http) } : null;

    /// <summary>
    /// The checks and the metering every call of a <see cref="CrmTool"/> gets, whichever path brought it
    /// (the SDK's handler or <see cref="DirectToolCalls"/>): <paramref name="confirm"/> may answer instead of
    /// the tool, <paramref name="run"/> runs it.
    /// </summary>
    public async ValueTask<CallToolResult> RunAsync(CrmTool tool, Caller? caller, IDictionary<string, System.Text.Json.JsonElement>? arguments,
        Func<Caller, ToolArguments, ValueTask<CallToolResult?>> confirm, Func<ToolCall, ValueTask<CallToolResult>> run)
    {
        if (caller is null)
            return ToolResults.Error(new CrmError(ErrorCodes.InsufficientAccess, "No authenticated tenant for this call. Send Authorization: Bearer <API key>."));
        if (tool.Writes && !caller.CanWrite)
            return ToolResults.Error(new CrmError(ErrorCodes.InsufficientAccess, $"{tool.ProtocolTool.Name} changes data and this API key is read-only. Use a key with the write scope."));

        long started = Stopwatch.GetTimestamp();
        CallToolResult result;
        try
        {
            var args = new ToolArguments(tool.ProtocolTool.Name, arguments);
            if (args.RejectUnknown(tool.Arguments, allowCustomFields: tool.Arguments.Contains(ToolArguments.CustomFields), fieldsOf: tool.CustomFieldsOf) is { } unknown)
                result = ToolResults.Error(unknown);
            else if (await confirm(caller, args) is { } declined)
                result = declined;
            else
                result = await run(new ToolCall(caller, args));
        }
        catch (InputRequiredException)
        {
            // A question to the user (see ConfirmAsync) is an answer, not a failure.
            meter.Record(caller, tool.ProtocolTool.Name, success: true, Stopwatch.GetElapsedTime(started));
            throw;
        }
        catch
        {
            meter.Record(caller, tool.ProtocolTool.Name, success: false, Stopwatch.GetElapsedTime(started));
            throw;
        }
        meter.Record(caller, tool.ProtocolTool.Name, success: result.IsError != true, Stopwatch.GetElapsedTime(started));
        return result;
    }

    /// <summary>
    /// Null when the call may run: nothing to confirm, a client that cannot be asked, a dry run, or
    /// the user said yes on this retry. Otherwise the question goes out as an input-required result
    /// (thrown, as the SDK wants it), or the answer to a user who said no.
    /// </summary>
    static async ValueTask<CallToolResult?> ConfirmAsync(CrmTool tool, RequestContext<CallToolRequestParams> request, Caller caller, ToolArguments args, CancellationToken ct)
    {
        if (tool.Confirm is not { } question || !Confirmations.ClientCanAnswer(request.Server)) return null;
        if (args.Bool(WriteArguments.DryRun) is { IsOk: true, Value: true }) return null;
        string state = Confirmations.StateOf(tool.ProtocolTool.Name, args);
        if (Confirmations.AnswerOf(request.Params, state) is { } answer)
            return Confirmations.Confirmed(answer) ? null : Confirmations.Declined(tool.ProtocolTool.Name);
        return await question(caller, args, ct) is { } asked ? throw Confirmations.Ask(asked, state) : null;
    }

    async ValueTask<CallToolResult> InvokeCancellableAsync(RequestContext<CallToolRequestParams> request, Caller caller,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, CancellationToken ct)
    {
        using var call = calls.Register(caller, request.JsonRpcRequest.Id, ct);
        return await next(request, call.Token);
    }
}

/// <summary>Installs <see cref="ToolCallPipeline"/> on an MCP server.</summary>
public static class ToolCallPipelineSetup
{
    public static IMcpServerBuilder WithToolCallPipeline(this IMcpServerBuilder builder)
    {
        builder.Services.AddSingleton<ToolCallPipeline>();
        builder.Services.AddOptions<McpServerOptions>().Configure<ToolCallPipeline>((options, pipeline) =>
            options.Filters.Request.CallToolFilters.Add(pipeline.Filter));
        return builder;
    }
}
