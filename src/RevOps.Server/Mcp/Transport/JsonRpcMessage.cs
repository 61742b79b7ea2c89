using System.Text.Json;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// The request's JSON-RPC message as <see cref="JsonRpcParseGuard"/> parsed it, for the middleware after it
/// (<see cref="DirectToolCalls"/>), so the body is parsed once. Valid until the guard's next() returns.
/// </summary>
public sealed record JsonRpcMessage(JsonElement Root);
