using System.Globalization;

namespace RevOps.Cli.DemoData;

/// <summary>How many records of each object one tenant gets.</summary>
public sealed record TenantSizes(int Accounts, int Contacts, int Opportunities, int Tasks)
{
    public long Records => (long)Accounts + Contacts + Opportunities + Tasks;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Accounts}a-{Contacts}c-{Opportunities}o-{Tasks}t");
}

/// <summary>
/// What `revops demo-data` generates: <see cref="Tenants"/> tenants, the first of them with the
/// <see cref="Large"/> sizes and the others with the <see cref="Small"/> ones, all from <see cref="Seed"/>.
/// </summary>
public sealed record DatasetSpec(int Seed, int Tenants, TenantSizes Large, TenantSizes Small)
{
    /// <summary>The shape: 100 tenants; one with 1M contacts, 100k accounts, 200k opportunities and 500k tasks.</summary>
    public static DatasetSpec Default { get; } = new(42, 100, new TenantSizes(100_000, 1_000_000, 200_000, 500_000), new TenantSizes(20, 200, 40, 100));

    public long Records => Large.Records + (long)Math.Max(0, Tenants - 1) * Small.Records;

    /// <summary>Names a cached copy: the same key means the same records (tenant ids and keys differ per generation).</summary>
    /// <remarks>The leading version changes whenever the generator makes different records from the same seed.</remarks>
    public string CacheKey => string.Create(CultureInfo.InvariantCulture, $"v{GeneratorVersion}-seed{Seed}-tenants{Tenants}-large-{Large}-small-{Small}");

    /// <summary>2: emails are first.last@company (a number only on a clash), no longer first.lastN@company.</summary>
    public const int GeneratorVersion = 2;

    public TenantSizes SizesOf(int tenantIndex) => tenantIndex == 0 ? Large : Small;
}
