using RevOps.Domain.Files;
using RevOps.Storage;
using RevOps.Storage.Files;

namespace RevOps.Server.Hosting;

/// <summary>Files (docs/files.md): the blob store on local disk, the backend's file queries, the limits and the file service.</summary>
public static class FileServices
{
    public static IServiceCollection AddRevOpsFiles(this IServiceCollection services, RevOpsOptions options)
    {
        services.AddSingleton<IFileBlobStore>(_ => new LocalFileBlobStore(options.FilesPath));
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Files);
        services.AddSingleton(FileLimits.Default with { TenantQuotaBytes = options.FileQuotaBytes });
        services.AddSingleton<FileService>();
        services.AddSingleton<Files.FileFetcher>();
        services.AddSingleton<Mcp.Tools.ContentVersionTools>();
        services.AddHttpClient(Files.FileFetcher.ClientName, client => client.Timeout = TimeSpan.FromMinutes(2))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                ConnectCallback = Webhooks.WebhookTargets.ConnectCallback(options.Webhooks.AllowPrivateTargets),
            });
        return services;
    }
}
