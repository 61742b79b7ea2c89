using System.Diagnostics;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;
using RevOps.Server.Usage;

namespace RevOps.Server.Mcp;

/// <summary>
/// A tool whose schema comes from our metadata and whose arguments we validate ourselves, so
/// every mistake an agent can make gets an answer naming the argument and the fix. Each call
/// is metered per tenant, tool, outcome and latency.
/// </summary>
public sealed class CrmTool(Tool protocolTool, CrmTool.LongHandler handler, bool writes, IReadOnlyCollection<string> arguments) : McpServerTool
{
    public delegate ValueTask<CallToolResult> Handler(Caller caller, ToolArguments args, CancellationToken ct);

    /// <summary>A tool that can run long: it reports progress and stops when the caller cancels.</summary>
    public delegate ValueTask<CallToolResult> LongHandler(Caller caller, ToolArguments args, ToolProgress progress, CancellationToken ct);

    public override Tool ProtocolTool { get; } = protocolTool;

    public override IReadOnlyList<object> Metadata { get; } = [];

    /// <summary>Changes data: hidden from and refused to read-only keys.</summary>
    public bool Writes { get; } = writes;

    /// <summary>The object whose custom fields this tool takes as arguments: tools/list shows each tenant its own.</summary>
    public ObjectMetadata? CustomFieldsOf { get; init; }

    /// <summary>Registered for notifications/cancelled while running; ordinary tools finish too fast to need it.</summary>
    public bool LongRunning { get; init; }

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct)
    {
        var services = request.Services ?? throw new InvalidOperationException("MCP requests carry the request's services.");
        var caller = CallerResolver.Resolve(request.User, services);
        if (caller is not null && services.GetService<IHttpContextAccessor>()?.HttpContext is { } http)
            caller = caller with { RequestId = http.TraceIdentifier };
        if (caller is null)
            return ToolResults.Error(new CrmError(ErrorCodes.InsufficientAccess, "No authenticated tenant for this call. Send Authorization: Bearer <API key>."));
        if (Writes && !caller.CanWrite)
            return ToolResults.Error(new CrmError(ErrorCodes.InsufficientAccess, $"{ProtocolTool.Name} changes data and this API key is read-only. Use a key with the write scope."));

        long started = Stopwatch.GetTimestamp();
        CallToolResult result;
        try
        {
            var args = new ToolArguments(ProtocolTool.Name, request.Params?.Arguments);
            result = args.RejectUnknown(arguments, allowCustomFields: arguments.Contains(ToolArguments.CustomFields)) is { } unknown
                ? ToolResults.Error(unknown)
                : LongRunning
                    ? await InvokeLongAsync(request, services, caller, args, ct)
                    : await handler(caller, args, ToolProgress.None, ct);
        }
        catch
        {
            services.GetRequiredService<UsageMeter>().Record(caller, ProtocolTool.Name, success: false, Stopwatch.GetElapsedTime(started));
            throw;
        }
        services.GetRequiredService<UsageMeter>().Record(caller, ProtocolTool.Name, success: result.IsError != true, Stopwatch.GetElapsedTime(started));
        return result;
    }

    async ValueTask<CallToolResult> InvokeLongAsync(RequestContext<CallToolRequestParams> request, IServiceProvider services, Caller caller, ToolArguments args, CancellationToken ct)
    {
        using var call = services.GetRequiredService<CancellableCalls>().Register(caller, request.JsonRpcRequest.Id, ct);
        return await handler(caller, args, ToolProgress.For(request), call.Token);
    }
}
