using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace RevOps.Conformance.Fixtures;

/// <summary>The resources the suite's resource scenarios read and subscribe to.</summary>
public static class FixtureResources
{
    public static IReadOnlyList<McpServerResource> All { get; } =
    [
        new FixtureResource(
            new ResourceTemplate { UriTemplate = "test://static-text", Name = "static-text", Description = "A static text resource.", MimeType = "text/plain" },
            (uri, _) => new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = "This is the content of the static text resource." }),
        new FixtureResource(
            new ResourceTemplate { UriTemplate = "test://static-binary", Name = "static-binary", Description = "A static binary resource: a 1x1 PNG.", MimeType = FixtureMedia.PngMimeType },
            (uri, _) => BlobResourceContents.FromBytes(FixtureMedia.RedPixelPng, uri, FixtureMedia.PngMimeType)),
        new FixtureResource(
            new ResourceTemplate { UriTemplate = "test://watched-resource", Name = "watched-resource", Description = "A resource clients may subscribe to.", MimeType = "text/plain" },
            (uri, _) => new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = "Watched resource content." }),
        new FixtureResource(
            new ResourceTemplate { UriTemplate = "test://template/{id}/data", Name = "template-data", Description = "Data for one id, substituted from the URI.", MimeType = "application/json" },
            (uri, values) => new TextResourceContents
            {
                Uri = uri, MimeType = "application/json",
                Text = $$"""{"id":"{{values["id"]}}","templateTest":true,"data":"Data for ID: {{values["id"]}}"}""",
            }),
    ];
}
