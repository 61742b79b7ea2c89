using System.Security.Cryptography;
using RevOps.Domain.Files;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Files;

namespace RevOps.Server.Tests.Files;

/// <summary>
/// The blob-store contract (Domain/Files/IFileBlobStore), run on both stores: the folder on disk and an S3-compatible
/// bucket (a real s3rver). Same names, same dedupe, same refusal of what is too large or not admitted, same tenant walls.
/// </summary>
public sealed class FileBlobStoreContractTests : IAsyncLifetime
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "revops-blob-contract-" + Guid.NewGuid().ToString("N"));
    S3rver? _s3;
    readonly List<IDisposable> _stores = [];

    public static TheoryData<string> Stores => ["disk", "s3"];

    public async ValueTask InitializeAsync() => _s3 = await S3rver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores) store.Dispose();
        if (_s3 is not null) await _s3.DisposeAsync();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    IFileBlobStore Store(string kind)
    {
        if (kind == "disk") return new LocalFileBlobStore(_folder);
        var (location, problem) = S3Location.Parse(_s3!.FilesUrl("crm/"));
        Assert.Null(problem);
        var store = new S3FileBlobStore(location!, new Amazon.Runtime.BasicAWSCredentials(S3rver.AccessKey, S3rver.SecretKey));
        _stores.Add(store);
        return store;
    }

    static readonly Func<StoredBlob, CancellationToken, Task<bool>> All = (_, _) => Task.FromResult(true);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<byte[]> ReadAllAsync(Stream? stream)
    {
        Assert.NotNull(stream);
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            return copy.ToArray();
        }
    }

    async Task<List<string>> ListAsync(IFileBlobStore store, TenantId tenant, DateTime before)
    {
        var names = new List<string>();
        await foreach (string name in store.ListAsync(tenant, before, Ct)) names.Add(name);
        return names;
    }

    /// <summary>Content that cannot be seeked or measured, as a request body is.</summary>
    sealed class Trickle(byte[] bytes) : Stream
    {
        int _at;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 100_003), bytes.Length - _at);
            Array.Copy(bytes, _at, buffer, offset, n);
            _at += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Put_NamesBytesByTheirHashes_AndReadsThemBack_SmallAndMultipart(string kind)
    {
        var store = Store(kind);
        var tenant = new TenantId(Guid.NewGuid());
        foreach (int size in (int[])[0, 1, 70_000, S3FileBlobStore.PartSize, 2 * S3FileBlobStore.PartSize + 12_345])
        {
            byte[] bytes = RandomNumberGenerator.GetBytes(size);
            var blob = await store.PutAsync(tenant, new Trickle(bytes), long.MaxValue, All, Ct);
            Assert.NotNull(blob);
            Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)size, Convert.ToHexStringLower(MD5.HashData(bytes))), (blob.Sha256, blob.Size, blob.Md5));
            Assert.Equal(bytes, await ReadAllAsync(await store.OpenReadAsync(tenant, blob.Sha256, Ct)));
        }
        Assert.Equal(5, (await ListAsync(store, tenant, DateTime.UtcNow.AddMinutes(1))).Count);
        if (kind == "s3") Assert.Equal(5, _s3!.ObjectNames($"crm/{tenant.Value:N}").Count);
        else Assert.Empty(Directory.EnumerateFiles(Path.Combine(_folder, tenant.Value.ToString("N"), "tmp")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SameBytesTwice_AreOneBlob_AndAnotherTenantSeesNoneOfThem(string kind)
    {
        var store = Store(kind);
        TenantId owner = new(Guid.NewGuid()), other = new(Guid.NewGuid());
        byte[] bytes = RandomNumberGenerator.GetBytes(S3FileBlobStore.PartSize + 1);
        var first = await store.PutAsync(owner, new MemoryStream(bytes), long.MaxValue, All, Ct);
        var second = await store.PutAsync(owner, new MemoryStream(bytes), long.MaxValue, All, Ct);
        Assert.Equal(first, second);
        Assert.Equal([first!.Sha256], await ListAsync(store, owner, DateTime.UtcNow.AddMinutes(1)));

        Assert.Null(await store.OpenReadAsync(other, first.Sha256, Ct));
        Assert.False(await store.DeleteAsync(other, first.Sha256, Ct));
        Assert.Empty(await ListAsync(store, other, DateTime.UtcNow.AddMinutes(1)));
        Assert.Null(await store.OpenReadAsync(owner, "../" + first.Sha256[3..], Ct));
        Assert.False(await store.DeleteAsync(owner, first.Sha256.ToUpperInvariant(), Ct));
        Assert.Equal(bytes, await ReadAllAsync(await store.OpenReadAsync(owner, first.Sha256, Ct)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TooLargeOrNotAdmitted_KeepsNothing(string kind)
    {
        var store = Store(kind);
        var tenant = new TenantId(Guid.NewGuid());
        foreach (int size in (int[])[5_000, S3FileBlobStore.PartSize + 5_000])
        {
            byte[] bytes = RandomNumberGenerator.GetBytes(size);
            Assert.Null(await store.PutAsync(tenant, new Trickle(bytes), size - 1, All, Ct));
            StoredBlob? asked = null;
            Assert.Null(await store.PutAsync(tenant, new Trickle(bytes), size, (blob, _) => { asked = blob; return Task.FromResult(false); }, Ct));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), asked!.Sha256);
            Assert.Null(await store.OpenReadAsync(tenant, asked.Sha256, Ct));
        }
        Assert.Empty(await ListAsync(store, tenant, DateTime.UtcNow.AddMinutes(1)));
        if (kind == "s3") Assert.Empty(_s3!.ObjectNames($"crm/{tenant.Value:N}"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task List_GivesBlobsWrittenBeforeTheTime_AndDeleteRemovesThemOnce(string kind)
    {
        var store = Store(kind);
        var tenant = new TenantId(Guid.NewGuid());
        var blob = await store.PutAsync(tenant, new MemoryStream("hello"u8.ToArray()), long.MaxValue, All, Ct);
        Assert.Empty(await ListAsync(store, tenant, DateTime.UtcNow.AddMinutes(-5)));
        Assert.Equal([blob!.Sha256], await ListAsync(store, tenant, DateTime.UtcNow.AddMinutes(5)));
        Assert.True(await store.DeleteAsync(tenant, blob.Sha256, Ct));
        Assert.False(await store.DeleteAsync(tenant, blob.Sha256, Ct));
        Assert.Null(await store.OpenReadAsync(tenant, blob.Sha256, Ct));
        Assert.Empty(await ListAsync(store, tenant, DateTime.UtcNow.AddMinutes(5)));
    }
}
