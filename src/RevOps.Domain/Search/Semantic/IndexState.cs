namespace RevOps.Domain.Search.Semantic;

/// <summary>Where one tenant's semantic index stands.</summary>
/// <param name="Seq">The change-log sequence every change up to which is in the index (0: built from nothing yet).</param>
/// <param name="Version">Raised by every save; entries carry the version that wrote them, so a cache reads only what is newer.</param>
/// <param name="Generation">Raised by a rebuild: a cache of an older generation starts over.</param>
/// <param name="Built">Whether a full build finished: until then the index follows no change log.</param>
public sealed record IndexState(long Seq, long Version, long Generation, bool Built, string? Model);
