using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using RevOps.Domain.Files;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Files;

/// <summary>
/// Blobs in an S3-compatible bucket under <c>prefix&lt;tenant&gt;/&lt;first two hex digits&gt;/&lt;sha256&gt;</c>, the same names as on
/// disk. A put reads the content in parts of <see cref="PartSize"/> (one part in memory at a time): a file that fits in one part
/// is written under its hash with one PUT; a larger one goes up as a multipart upload to a temporary key while it is hashed, is
/// copied to its hash inside the store, and the temporary key removed. S3 acknowledges a PUT only once it is durable, and the
/// object is whole under its name or absent, so a blob is there before the records that point at it commit.
/// </summary>
public sealed class S3FileBlobStore : IFileBlobStore, IDisposable
{
    /// <summary>Bytes per part: above S3's 5 MiB minimum, and all a put holds in memory.</summary>
    public const int PartSize = 8 * 1024 * 1024;

    readonly IAmazonS3 _client;
    readonly S3Location _location;

    public S3FileBlobStore(S3Location location, AWSCredentials credentials)
    {
        _location = location;
        var config = new AmazonS3Config
        {
            // Checksums only where S3 requires them: stores other than AWS do not all read the trailing CRC headers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (location.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.GetLeftPart(UriPartial.Authority);
            config.AuthenticationRegion = _location.Region;
            config.ForcePathStyle = true;
        }
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(_location.Region);
        _client = new AmazonS3Client(credentials, config);
    }

    public S3Location Location => _location;

    /// <summary>Whether the bucket answers with these credentials; null when it does, else what to fix (for a clear startup error).</summary>
    public async Task<string?> ProblemAsync(CancellationToken ct)
    {
        try
        {
            // A listing under a prefix that holds nothing: it proves the bucket, region and keys at no cost, and s3rver (the
            // tests' store) answers 500 to a one-key listing of a prefix that holds objects.
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = _location.Prefix + "revops-startup-check/" }, ct);
            return null;
        }
        catch (AmazonS3Exception e)
        {
            return $"--files {_location}: the bucket did not answer as expected ({(int)e.StatusCode} {e.ErrorCode}: {e.Message}). Check the bucket name, region and credentials.";
        }
        catch (Exception e) when (e is HttpRequestException or AmazonServiceException or TaskCanceledException or AmazonClientException)
        {
            return $"--files {_location}: the store could not be reached ({e.Message}). Check the endpoint.";
        }
    }

    public async Task<StoredBlob?> PutAsync(TenantId tenant, Stream content, long maxBytes, Func<StoredBlob, CancellationToken, Task<bool>> admit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            using var hashes = new BlobHashes();
            int filled = await FillAsync(content, buffer, ct);
            if (filled > maxBytes) return null;
            hashes.Append(buffer.AsSpan(0, filled));
            if (filled < PartSize)
            {
                var blob = hashes.Finish(filled);
                if (!await admit(blob, ct)) return null;
                // A PUT of bytes already stored under this name rewrites the same bytes and renews the object's time, so
                // a sweep of unreferenced blobs leaves it alone until the records that point at it again commit.
                await PutObjectAsync(Key(tenant, blob.Sha256), buffer, filled, ct);
                return blob;
            }
            return await PutLargeAsync(tenant, content, maxBytes, admit, buffer, filled, hashes, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    async Task<StoredBlob?> PutLargeAsync(TenantId tenant, Stream content, long maxBytes, Func<StoredBlob, CancellationToken, Task<bool>> admit, byte[] buffer, int filled, BlobHashes hashes, CancellationToken ct)
    {
        // The name is the hash of all the bytes, known only at their end: they are spooled to a local temporary file (deleted
        // on close, even by the OS after a crash of this process) while hashed, then sent part by part under their name.
        // Copying a temporary object inside the store would avoid the local file, but not every S3-compatible server
        // reads the copy source as AWS does.
        string spool = Path.Combine(Path.GetTempPath(), $"revops-s3-{Guid.NewGuid():N}.part");
        await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 0, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        long size = filled;
        await file.WriteAsync(buffer.AsMemory(0, filled), ct);
        while ((filled = await FillAsync(content, buffer, ct)) > 0)
        {
            size += filled;
            if (size > maxBytes) return null;
            hashes.Append(buffer.AsSpan(0, filled));
            await file.WriteAsync(buffer.AsMemory(0, filled), ct);
        }
        var blob = hashes.Finish(size);
        if (!await admit(blob, ct)) return null;

        string key = Key(tenant, blob.Sha256);
        file.Position = 0;
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _location.Bucket, Key = key }, ct);
        bool completed = false;
        try
        {
            var parts = new List<PartETag>();
            while ((filled = await FillAsync(file, buffer, ct)) > 0)
            {
                int number = parts.Count + 1;
                using var part = new MemoryStream(buffer, 0, filled, writable: false);
                var uploaded = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _location.Bucket, Key = key, UploadId = upload.UploadId, PartNumber = number, InputStream = part, PartSize = filled, UseChunkEncoding = false,
                }, ct);
                parts.Add(new PartETag(number, uploaded.ETag));
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _location.Bucket, Key = key, UploadId = upload.UploadId, PartETags = parts,
            }, ct);
            completed = true;
            return blob;
        }
        finally
        {
            if (!completed)
                await Quietly(() => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _location.Bucket, Key = key, UploadId = upload.UploadId }));
        }
    }

    public async Task<Stream?> OpenReadAsync(TenantId tenant, string sha256, CancellationToken ct)
    {
        if (!StoredBlob.IsHash(sha256)) return null;
        try
        {
            var response = await _client.GetObjectAsync(_location.Bucket, Key(tenant, sha256), ct);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(TenantId tenant, string sha256, CancellationToken ct)
    {
        if (!StoredBlob.IsHash(sha256)) return false;
        string key = Key(tenant, sha256);
        try
        {
            await _client.GetObjectMetadataAsync(_location.Bucket, key, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await _client.DeleteObjectAsync(_location.Bucket, key, ct);
        return true;
    }

    public async IAsyncEnumerable<string> ListAsync(TenantId tenant, DateTime before, [EnumeratorCancellation] CancellationToken ct)
    {
        string prefix = TenantPrefix(tenant);
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = prefix };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, ct);
            foreach (var entry in page.S3Objects ?? [])
            {
                string[] path = entry.Key[prefix.Length..].Split('/');
                if (path is [var folder, var name] && StoredBlob.IsHash(name) && name.StartsWith(folder, StringComparison.Ordinal)
                    && entry.LastModified is { } modified && modified.ToUniversalTime() < before)
                    yield return name;
            }
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public void Dispose() => _client.Dispose();

    Task PutObjectAsync(string key, byte[] buffer, int length, CancellationToken ct) =>
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _location.Bucket, Key = key, InputStream = new MemoryStream(buffer, 0, length, writable: false), AutoCloseStream = true, UseChunkEncoding = false,
        }, ct);

    /// <summary>Reads until <paramref name="buffer"/> holds a whole part or the content ends; the bytes read.</summary>
    static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken ct) =>
        await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, ct);

    static async Task Quietly(Func<Task> cleanup)
    {
        try { await cleanup(); }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or OperationCanceledException) { /* the sweep's business now */ }
    }

    string TenantPrefix(TenantId tenant) => $"{_location.Prefix}{tenant.Value:N}/";

    string Key(TenantId tenant, string sha256) => $"{TenantPrefix(tenant)}{sha256[..2]}/{sha256}";
}
