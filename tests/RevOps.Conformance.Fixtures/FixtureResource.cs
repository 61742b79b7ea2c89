using System.Text.RegularExpressions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace RevOps.Conformance.Fixtures;

/// <summary>
/// One of the suite's fixture resources: a fixed URI, or a template whose single {id} segment the
/// reader receives. The SDK lists these next to our crm:// resources and reads them before our handler.
/// </summary>
public sealed class FixtureResource(ResourceTemplate template, Func<string, IReadOnlyDictionary<string, string>, ResourceContents> read) : McpServerResource
{
    readonly Regex? _pattern = template.UriTemplate.Contains('{')
        ? new Regex("^" + Regex.Replace(Regex.Escape(template.UriTemplate), @"\\\{(\w+)}", "(?<$1>[^/]+)") + "$", RegexOptions.CultureInvariant)
        : null;

    public override ResourceTemplate ProtocolResourceTemplate { get; } = template;

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override bool IsMatch(string uri) =>
        _pattern?.IsMatch(uri) ?? string.Equals(uri, ProtocolResourceTemplate.UriTemplate, StringComparison.Ordinal);

    public override ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken ct)
    {
        string uri = request.Params?.Uri ?? ProtocolResourceTemplate.UriTemplate;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_pattern?.Match(uri) is { Success: true } match)
            foreach (var name in _pattern.GetGroupNames().Where(n => !int.TryParse(n, out _))) values[name] = match.Groups[name].Value;
        return ValueTask.FromResult(new ReadResourceResult { Contents = [read(uri, values)] });
    }
}
