using RevOps.Domain.Ids;

namespace RevOps.Domain.Tests;

public sealed class SalesforceIdTests
{
    [Theory]
    [InlineData("a01M00000062mPg", "a01M00000062mPgIAI")]
    [InlineData("001M000000qfPyS", "001M000000qfPySIAU")]
    [InlineData("a0FE000000D6r3F", "a0FE000000D6r3FMAR")]
    [InlineData("0F9E000000092w2", "0F9E000000092w2KAA")]
    [InlineData("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaAAA")]
    [InlineData("AbCdEfGhIjKlMnO", "AbCdEfGhIjKlMnOVKV")]
    [InlineData("aBcDEfgHIJKLMNO", "aBcDEfgHIJKLMNO025")]
    [InlineData("a0D30000001n7Pi", "a0D30000001n7PiEAI")]
    public void To18_KnownSalesforcePairs_MatchesSalesforce(string id15, string id18)
    {
        Assert.Equal(id18, SalesforceId.To18(id15));
        Assert.True(SalesforceId.TryNormalize(id15, out var fromShort));
        Assert.Equal(id18, fromShort);
        Assert.True(SalesforceId.TryNormalize(id18, out var same));
        Assert.Equal(id18, same);
    }

    [Theory]
    [InlineData("001m000000QFpYsIAU", "001M000000qfPySIAU")]
    [InlineData("a0fe000000d6r3fmar", "a0FE000000D6r3FMAR")]
    public void TryNormalize_18CharsInWrongCase_RestoresCaseFromSuffix(string input, string expected)
    {
        Assert.True(SalesforceId.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("003-000000000001")]
    [InlineData("0030000000000010000")]
    [InlineData("00300000000000AA1A")] // suffix claims an upper-case digit
    public void TryNormalize_NotAnId_ReturnsFalse(string? input)
    {
        Assert.False(SalesforceId.TryNormalize(input, out _));
    }

    [Fact]
    public void NewId_ManyIds_AreValidUniqueAndIncreasing()
    {
        var generator = new IdGenerator(nodeId: 42);
        var ids = Enumerable.Range(0, 5000).Select(_ => generator.NewId("003")).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Equal(18, id.Length);
            Assert.StartsWith("003", id);
            Assert.True(SalesforceId.TryNormalize(id, out var normalized));
            Assert.Equal(id, normalized);
        });
        Assert.Equal(ids, ids.OrderBy(id => id[..15], StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void NewId_TwoNodesSameInstant_DoNotCollide()
    {
        var clock = new FixedTime(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var a = new IdGenerator(1, clock);
        var b = new IdGenerator(2, clock);
        var fromA = Enumerable.Range(0, 3000).Select(_ => a.NewId("001")).ToHashSet();
        var fromB = Enumerable.Range(0, 3000).Select(_ => b.NewId("001")).ToList();

        Assert.Equal(3000, fromA.Count);
        Assert.DoesNotContain(fromB, fromA.Contains);
    }

    sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
