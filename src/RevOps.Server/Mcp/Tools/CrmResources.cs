using System.Globalization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp.Tools;

/// <summary>
/// MCP resources for clients that attach context rather than call tools: crm://{object}/{id}
/// is a record, crm://schema/{object} an object's describe, and resources/list pages through the
/// tenant's most recently changed records.
/// </summary>
public static class CrmResources
{
    public const string Scheme = "crm://";
    const int PageSize = 25;
    const int MaxOffset = 1000;

    public static IMcpServerBuilder WithCrmResources(this IMcpServerBuilder builder) => builder
        .WithListResourceTemplatesHandler((request, ct) => ValueTask.FromResult(new ListResourceTemplatesResult
        {
            ResourceTemplates =
            [
                new ResourceTemplate
                {
                    UriTemplate = Scheme + "{object}/{id}", Name = "record", Title = "CRM record", MimeType = "application/json",
                    Description = "One record as JSON, e.g. crm://Contact/003… (standard objects, and custom ones: crm://Invoice__c/a00…).",
                },
                new ResourceTemplate
                {
                    UriTemplate = Scheme + "schema/{object}", Name = "schema", Title = "Object schema", MimeType = "application/json",
                    Description = "An object's fields (custom ones included), picklist values and relationships, as describe_object returns them.",
                },
            ],
        }))
        .WithListResourcesHandler(async (request, ct) =>
        {
            var caller = CallerOf(request);
            var records = request.Services!.GetRequiredService<RecordService>();
            int offset = int.TryParse(request.Params?.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out int o) && o is >= 0 and <= MaxOffset ? o : 0;
            // The newest changes across objects: each object's newest offset+page+1, merged by time.
            var recent = new List<Domain.Records.Record>();
            var tenantSchema = await request.Services!.GetRequiredService<SchemaService>().GetAsync(caller.Tenant, ct);
            foreach (var obj in tenantSchema.Objects.Where(o => o.Writable)) recent.AddRange(await records.RecentAsync(caller, obj, offset + PageSize + 1, ct));
            var ordered = recent.OrderByDescending(r => (DateTime)r["LastModifiedDate"]!).ThenBy(r => r.Id, StringComparer.Ordinal).Skip(offset).ToList();
            return new ListResourcesResult
            {
                Resources = ordered.Take(PageSize).Select(r => new Resource
                {
                    Uri = $"{Scheme}{r.Object.Name}/{r.Id}",
                    Name = r.DisplayName ?? r.Id,
                    Title = $"{r.Object.Name}: {r.DisplayName ?? r.Id}",
                    MimeType = "application/json",
                }).ToList(),
                NextCursor = ordered.Count > PageSize && offset + PageSize <= MaxOffset ? (offset + PageSize).ToString(CultureInfo.InvariantCulture) : null,
            };
        })
        .WithReadResourceHandler(async (request, ct) =>
        {
            var caller = CallerOf(request);
            string uri = request.Params?.Uri ?? "";
            if (!uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) throw NotFound(uri, TenantSchema.Standard);
            var parts = uri[Scheme.Length..].Split('/');
            var tenantSchema = await request.Services!.GetRequiredService<SchemaService>().GetAsync(caller.Tenant, ct);
            string json;
            if (parts is ["schema", var objectName] && tenantSchema.TryGetObject(objectName, out var described))
            {
                var schema = await request.Services!.GetRequiredService<SchemaService>().GetAsync(caller.Tenant, described, ct);
                json = RecordJson.Build(w => DescribeJson.WriteObject(w, schema)).Text;
            }
            else if (parts is [var name, var id] && tenantSchema.TryGetObject(name, out var obj))
            {
                var record = await request.Services!.GetRequiredService<RecordService>().GetAsync(caller, obj, id, ct);
                if (!record.IsOk) throw new McpProtocolException($"{uri}: {record.Error.Message}", McpErrorCode.ResourceNotFound);
                json = RecordJson.Build(w => RecordJson.WriteCompact(w, record.Value)).Text;
            }
            else
            {
                throw NotFound(uri, tenantSchema);
            }
            return new ReadResourceResult { Contents = [new TextResourceContents { Uri = uri, MimeType = "application/json", Text = json }] };
        });

    static McpProtocolException NotFound(string uri, TenantSchema schema) => new(
        $"No resource '{uri}'. Use crm://{{object}}/{{id}} (e.g. crm://Contact/003…) or crm://schema/{{object}} with one of: {string.Join(", ", schema.Objects.Select(o => o.Name))}.",
        McpErrorCode.ResourceNotFound);

    internal static Caller CallerOf<T>(RequestContext<T> request) =>
        Auth.CallerResolver.Resolve(request.User, request.Services!)
        ?? throw new McpProtocolException("No authenticated tenant for this request. Send Authorization: Bearer <API key>.", McpErrorCode.InvalidRequest);
}
