using System.Security.Cryptography;
using RevOps.Domain.Files;

namespace RevOps.Storage.Files;

/// <summary>
/// The two hashes of a blob, computed as its bytes stream past: SHA-256 names it in the store, MD5 is the
/// <c>Checksum</c> Salesforce clients compare (an MD5 is no address: collisions can be made on purpose).
/// </summary>
internal sealed class BlobHashes : IDisposable
{
    readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
#pragma warning disable CA5351 // MD5 is what Salesforce's Checksum holds; nothing is addressed or trusted by it.
    readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _sha256.AppendData(bytes);
        _md5.AppendData(bytes);
    }

    public StoredBlob Finish(long size) =>
        new(Convert.ToHexStringLower(_sha256.GetHashAndReset()), size, Convert.ToHexStringLower(_md5.GetHashAndReset()));

    public void Dispose()
    {
        _sha256.Dispose();
        _md5.Dispose();
    }
}
