namespace RevOps.Storage.Backup;

/// <summary>What a finished backup holds: its file and size, the check it passed, and per tenant its records and change-log length.</summary>
public sealed record BackupSummary(string Path, long Bytes, string Check, IReadOnlyList<TenantBackupCount> Tenants, TimeSpan Elapsed);

/// <summary>One tenant in a backup: records of every object (recycle bin included) and change-log rows.</summary>
public sealed record TenantBackupCount(string TenantId, string Name, long Records, long Changes);
