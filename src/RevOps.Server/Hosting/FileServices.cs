using RevOps.Domain.Files;
using RevOps.Storage;
using RevOps.Storage.Files;

namespace RevOps.Server.Hosting;

/// <summary>Files (docs/files.md): the blob store (local disk, or an S3-compatible bucket), the backend's file queries, the limits and the file service.</summary>
public static class FileServices
{
    public static IServiceCollection AddRevOpsFiles(this IServiceCollection services, RevOpsOptions options)
    {
        services.AddSingleton<IFileBlobStore>(_ => BlobStore(options));
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

    /// <summary>The store <c>--files</c> names: an s3:// URL (credentials from the environment), else a folder.</summary>
    public static IFileBlobStore BlobStore(RevOpsOptions options)
    {
        if (!S3Location.IsS3(options.FilesDirectory)) return new LocalFileBlobStore(options.FilesPath);
        var (location, problem) = S3Location.Parse(options.FilesDirectory!);
        var (credentials, missing) = location is null ? (null, null) : S3Credentials.Resolve(Environment.GetEnvironmentVariable);
        if (location is null || credentials is null) throw new InvalidOperationException(problem ?? missing);
        return new S3FileBlobStore(location, credentials);
    }
}
