namespace RevOps.Cli.DemoData;

/// <summary>
/// A clock that starts at a fixed instant and moves on by a fixed step each time it is read, so
/// generated records get CreatedDates spread over the dataset's history and the Ids made from it
/// (time-ordered, see IdGenerator) come out the same for the same seed.
/// </summary>
internal sealed class DatasetClock(DateTimeOffset start, TimeSpan step) : TimeProvider
{
    long _reads;

    public override DateTimeOffset GetUtcNow() => start + step * Interlocked.Increment(ref _reads);
}
