using RevOps.Domain.Billing;
using RevOps.Domain.Usage;

namespace RevOps.Domain.Tests;

public sealed class BillingTests
{
    static readonly DateOnly November1 = new(2026, 11, 1);
    static readonly DateOnly November30 = new(2026, 11, 30);

    [Theory]
    [InlineData(0, "0.00", "49.00")]
    [InlineData(8, "0.00", "49.00")]
    [InlineData(50, "0.01", "49.01")] // 0.005 rounds away from zero, not to the even 0.00
    [InlineData(12_345, "1.23", "50.23")]
    [InlineData(1_000_000, "100.00", "149.00")]
    public void Preview_DefaultBook_ChargesBasePlusRequestsRoundedHalfAwayFromZero(long requests, string requestsAmount, string total)
    {
        var invoice = PriceBook.Default.Preview("free", November1, November30, requests);

        Assert.Equal("USD", invoice.Currency);
        Assert.Equal(2, invoice.Lines.Count);
        Assert.Equal(new InvoiceLine("Base fee, free tier", 1, "month", 49.00m, 49.00m), invoice.Lines[0]);
        Assert.Equal(requests / 1000m, invoice.Lines[1].Quantity);
        Assert.Equal(requestsAmount, invoice.Lines[1].Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(total, invoice.Total.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Preview_TierOverrideWithIncludedRequests_ChargesOnlyTheExcessPerMonthTouched()
    {
        var book = new PriceBook("EUR", PriceBook.Default.Standard, new Dictionary<string, TierPrice> { ["enterprise"] = new(499m, 0.05m, 1_000_000) });

        var invoice = book.Preview("enterprise", new DateOnly(2026, 10, 15), November30, 2_500_000);

        Assert.Equal(
            [new InvoiceLine("Base fee, enterprise tier", 2, "months", 499.00m, 998.00m),
             new InvoiceLine("Requests (2,500,000, of which 2,000,000 included)", 500m, "1,000 requests", 0.05m, 25.00m)],
            invoice.Lines);
        Assert.Equal(1023.00m, invoice.Total);
        Assert.Equal(49.00m, book.Preview("professional", November1, November30, 0).Total);
    }

    [Fact]
    public void Cents_Midpoints_RoundAwayFromZero()
    {
        Assert.Equal(0.13m, Money.Cents(0.125m));
        Assert.Equal(-0.13m, Money.Cents(-0.125m));
        Assert.Equal(0.12m, Money.Cents(0.1249m));
        Assert.Equal("49.00", Money.Cents(49m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(null, null, "2026-11-01", "2026-11-30")]
    [InlineData("2026-02", null, "2026-02-01", "2026-11-30")]
    [InlineData("2026-02", "2026-02", "2026-02-01", "2026-02-28")]
    [InlineData(null, "2026-09-10", "2026-09-01", "2026-09-10")]
    [InlineData("2026-11-03", "2026-11-04", "2026-11-03", "2026-11-04")]
    public void Parse_Period_DefaultsToMonths(string? from, string? to, string expectedFrom, string expectedTo)
    {
        var period = UsagePeriod.Parse(from, to, new DateOnly(2026, 11, 25));

        Assert.True(period.IsOk);
        Assert.Equal((DateOnly.Parse(expectedFrom), DateOnly.Parse(expectedTo)), (period.Value.From, period.Value.To));
    }

    [Fact]
    public void Parse_TooLongPeriod_SaysTheLimit()
    {
        var period = UsagePeriod.Parse("2025-01-01", "2026-01-02", new DateOnly(2026, 11, 25));

        Assert.Equal("INVALID_ARGUMENT: the period 2025-01-01..2026-01-02 is longer than 366 days; ask for a year or less at a time.", period.Error!.ToString());
    }

    [Fact]
    public void Percentile_Histogram_ReturnsUpperBoundOfTheRanksBucket()
    {
        var buckets = new long[LatencyBuckets.UpperBoundsMs.Length];
        buckets[3] = 50;  // ≤ 1 ms
        buckets[6] = 45;  // ≤ 10 ms
        buckets[9] = 5;   // ≤ 100 ms

        Assert.Equal(1, LatencyBuckets.Percentile(buckets, 0.50));
        Assert.Equal(10, LatencyBuckets.Percentile(buckets, 0.95));
        Assert.Equal(100, LatencyBuckets.Percentile(buckets, 0.96));
        Assert.Null(LatencyBuckets.Percentile(new long[LatencyBuckets.UpperBoundsMs.Length], 0.5));
        buckets[^1] = 1000;
        Assert.Equal(10000, LatencyBuckets.Percentile(buckets, 0.95));
    }
}
