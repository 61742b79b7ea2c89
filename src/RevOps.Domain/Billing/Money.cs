namespace RevOps.Domain.Billing;

/// <summary>
/// Money is decimal, never double. Every invoice line is rounded to cents half away from zero
/// (0.125 → 0.13, as people expect from a bill, not banker's 0.12), and the total is the sum of
/// the rounded lines, so the lines always add up to the total shown.
/// </summary>
public static class Money
{
    /// <summary>Rounded to cents, always written with two decimals (49 → 49.00).</summary>
    public static decimal Cents(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
