namespace RevOps.Domain.Records;

/// <summary>One field's value before and after a write (typed as in <see cref="Record"/>, or a JsonElement for __c fields).</summary>
public sealed record FieldChange(string Field, object? Before, object? After);
