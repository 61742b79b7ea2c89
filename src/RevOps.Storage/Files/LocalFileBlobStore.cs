using System.Buffers;
using System.Runtime.CompilerServices;
using RevOps.Domain.Files;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Files;

/// <summary>
/// Blobs on local disk under <c>root/&lt;tenant&gt;/&lt;first two hex digits&gt;/&lt;sha256&gt;</c>. A put streams into a temporary
/// file in the tenant's folder while hashing, flushes it to disk, renames it to its hash and flushes the folder, so
/// a blob is whole under its name or not there at all, even after a kill -9. Paths are built only from the tenant's
/// Guid and a checked 64-digit hash, never from what a client named its file.
/// </summary>
public sealed class LocalFileBlobStore(string root) : IFileBlobStore
{
    const int BufferSize = 128 * 1024;
    const string TempFolder = "tmp";

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<StoredBlob?> PutAsync(TenantId tenant, Stream content, long maxBytes, Func<StoredBlob, CancellationToken, Task<bool>> admit, CancellationToken ct)
    {
        string tenantDir = TenantDirectory(tenant);
        string tempDir = Path.Combine(tenantDir, TempFolder);
        Directory.CreateDirectory(tempDir);
        string temp = Path.Combine(tempDir, Guid.NewGuid().ToString("N") + ".part");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        bool keep = false;
        try
        {
            using var hashes = new BlobHashes();
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes) return null;
                    hashes.Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                file.Flush(flushToDisk: true);
            }
            var blob = hashes.Finish(size);
            if (!await admit(blob, ct)) return null;
            string final = BlobPath(tenant, blob.Sha256);
            string folder = Path.GetDirectoryName(final)!;
            Directory.CreateDirectory(folder);
            if (File.Exists(final))
            {
                // Stored already (the tenant uploaded these bytes before): keep one copy, and mark it as wanted now
                // so a sweep of unreferenced blobs does not take it between this put and the commit that points at it.
                File.SetLastWriteTimeUtc(final, DateTime.UtcNow);
                return blob;
            }
            File.Move(temp, final, overwrite: true);
            keep = true;
            DirectorySync.Flush(folder);
            return blob;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!keep) File.Delete(temp);
        }
    }

    public Task<Stream?> OpenReadAsync(TenantId tenant, string sha256, CancellationToken ct)
    {
        if (!StoredBlob.IsHash(sha256)) return Task.FromResult<Stream?>(null);
        try
        {
            Stream stream = new FileStream(BlobPath(tenant, sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> DeleteAsync(TenantId tenant, string sha256, CancellationToken ct)
    {
        if (!StoredBlob.IsHash(sha256)) return Task.FromResult(false);
        string path = BlobPath(tenant, sha256);
        if (!File.Exists(path)) return Task.FromResult(false);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<string> ListAsync(TenantId tenant, DateTime before, [EnumeratorCancellation] CancellationToken ct)
    {
        string tenantDir = TenantDirectory(tenant);
        if (!Directory.Exists(tenantDir)) yield break;
        foreach (string folder in Directory.EnumerateDirectories(tenantDir))
        {
            if (Path.GetFileName(folder) == TempFolder) continue;
            foreach (string file in Directory.EnumerateFiles(folder))
            {
                ct.ThrowIfCancellationRequested();
                string name = Path.GetFileName(file);
                if (StoredBlob.IsHash(name) && File.GetLastWriteTimeUtc(file) < before) yield return name;
            }
            await Task.Yield();
        }
    }

    string TenantDirectory(TenantId tenant) => Path.Combine(Root, tenant.Value.ToString("N"));

    string BlobPath(TenantId tenant, string sha256) => Path.Combine(TenantDirectory(tenant), sha256[..2], sha256);
}
