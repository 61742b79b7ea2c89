using System.Net;
using System.Net.Sockets;
using System.Text;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace RevOps.Server.Tests;

/// <summary>
/// Files for agents through the generic tools (docs/files.md): create_record on ContentVersion with base64 or a URL the
/// server fetches, a record's files through find_records on ContentDocumentLink, and the text through get_record's
/// TextContent (a PDF's words, text files as UTF-8, long text cut with a marker). The server here may fetch from
/// loopback (the operator's private-targets switch, as webhook tests set it); FilesHostileTests covers the refusal.
/// </summary>
public sealed class FilesMcpTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    CrmServerFixture Server => fixture.Server;

    static byte[] Pdf(params string[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        double y = 760;
        foreach (string line in lines)
        {
            page.AddText(line, 12, new PdfPoint(40, y), font);
            y -= 20;
        }
        return builder.Build();
    }

    [Fact]
    public async Task CreateRecord_Base64Pdf_IsListedOnTheAccount_AndGetRecordReadsItsText()
    {
        var tenant = await Server.CreateTenantAsync("Files MCP pdf");
        string account = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Proposal Inc" } })).Str("Id");
        byte[] pdf = Pdf("Proposal for Proposal Inc", "Payment terms: net 45 days from invoice.");

        var created = await tenant.CallOkAsync("create_record", new
        {
            @object = "ContentVersion",
            fields = new { PathOnClient = "proposal.pdf", VersionData = Convert.ToBase64String(pdf), FirstPublishLocationId = account },
        });
        string versionId = created.Str("Id");
        Assert.StartsWith("068", versionId);
        Assert.Equal(("proposal", "PDF", pdf.Length), (created.Str("Title"), created.Str("FileType"), created.GetProperty("ContentSize").GetInt32()));

        var links = await tenant.CallOkAsync("find_records", new { @object = "ContentDocumentLink", where = new { LinkedEntityId = account } });
        var link = Assert.Single(links.GetProperty("records").EnumerateArray());
        Assert.Equal(created.Str("ContentDocumentId"), link.Str("ContentDocumentId"));

        var read = await tenant.CallOkAsync("get_record", new { Id = versionId, fields = new[] { "Title", "TextContent" } });
        Assert.Equal(["Id", "Title", "TextContent"], read.EnumerateObject().Select(p => p.Name));
        Assert.Contains("Payment terms: net 45 days from invoice.", read.Str("TextContent"));

        // Without TextContent asked for, get_record stays as small as any record's.
        var plain = await tenant.CallOkAsync("get_record", new { Id = versionId });
        Assert.False(plain.TryGetProperty("TextContent", out _));
        // On other objects TextContent is no field.
        Assert.StartsWith("INVALID_FIELD: fields: 'TextContent' is not a field on Account.",
            Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = account, fields = new[] { "TextContent" } })));
    }

    [Fact]
    public async Task CreateRecord_Url_FetchesTheFile_AndLongTextIsCutWithAMarker()
    {
        var tenant = await Server.CreateTenantAsync("Files MCP url");
        string body = string.Concat(Enumerable.Repeat("Renewal clause: auto-renews yearly. ", 1000)); // 36,000 characters
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = ServeOnceAsync(listener, Encoding.UTF8.GetBytes(body));

        var created = await tenant.CallOkAsync("create_record", new
        {
            @object = "ContentVersion",
            fields = new { PathOnClient = "contract.txt", VersionData = $"http://127.0.0.1:{port}/contract.txt" },
        });
        await serving;
        Assert.Equal(("TEXT", Encoding.UTF8.GetByteCount(body)), (created.Str("FileType"), created.GetProperty("ContentSize").GetInt32()));

        var read = await tenant.CallOkAsync("get_record", new { Id = created.Str("Id"), fields = new[] { "TextContent" } });
        string text = read.Str("TextContent");
        Assert.Equal(body[..20_000] + "\n[TextContent truncated: the first 20,000 characters are shown.]", text);

        // A URL that answers 404 stores nothing and says so.
        using var missing = new TcpListener(IPAddress.Loopback, 0);
        missing.Start();
        var notFound = ServeOnceAsync(missing, null);
        var error = await tenant.CallAsync("create_record", new
        {
            @object = "ContentVersion",
            fields = new { PathOnClient = "gone.txt", VersionData = $"http://127.0.0.1:{((IPEndPoint)missing.LocalEndpoint).Port}/gone.txt" },
        });
        await notFound;
        Assert.Equal("INVALID_FIELD_VALUE: VersionData URL answered 404 Not Found; nothing was stored. Check the URL (redirects are not followed).", Mcp.ErrorText(error));
        var versions = await tenant.CallOkAsync("soql_query", new { query = "SELECT Id FROM ContentVersion" });
        Assert.Equal(1, versions.GetProperty("totalSize").GetInt32());
    }

    /// <summary>Answers one HTTP request with the bytes (or a 404 when null), then closes.</summary>
    static async Task ServeOnceAsync(TcpListener listener, byte[]? bytes)
    {
        using var client = await listener.AcceptTcpClientAsync(Ct);
        var stream = client.GetStream();
        var request = new byte[8192];
        int read = 0;
        while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            read += await stream.ReadAsync(request.AsMemory(read), Ct);
        string head = bytes is null
            ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            : $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        if (bytes is not null) await stream.WriteAsync(bytes, Ct);
        await stream.FlushAsync(Ct);
    }
}
