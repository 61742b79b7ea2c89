using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using RevOps.Domain.Users;

namespace RevOps.Server.Console;

/// <summary>
/// Data protection's key ring in the database, so every node of one database reads the cookies and
/// antiforgery tokens the others issue. Data protection calls these synchronously, rarely (start-up, a new key, a day's refresh).
/// </summary>
public sealed class KeyRingXmlRepository(IKeyRingStore store, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.ListAsync(CancellationToken.None).GetAwaiter().GetResult().Select(xml => XElement.Parse(xml)).ToArray();

    public void StoreElement(XElement element, string friendlyName) =>
        store.AddAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), time.GetUtcNow().UtcDateTime, CancellationToken.None).GetAwaiter().GetResult();
}
