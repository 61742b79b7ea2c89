using System.Diagnostics.CodeAnalysis;

namespace RevOps.Domain.Errors;

/// <summary>A value or the <see cref="CrmError"/> that explains why there is none.</summary>
public readonly struct CrmResult<T>
{
    readonly T? _value;

    CrmResult(T? value, CrmError? error)
    {
        _value = value;
        Error = error;
    }

    public CrmError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public T Value => IsOk ? _value! : throw new InvalidOperationException($"No value: {Error}");

    public static CrmResult<T> Ok(T value) => new(value, null);

    public static CrmResult<T> Fail(CrmError error) => new(default, error);

    public static implicit operator CrmResult<T>(T value) => Ok(value);

    public static implicit operator CrmResult<T>(CrmError error) => Fail(error);
}
