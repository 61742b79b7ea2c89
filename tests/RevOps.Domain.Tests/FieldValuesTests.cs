using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;

namespace RevOps.Domain.Tests;

public sealed class FieldValuesTests
{
    static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Parse_PicklistInAnyCase_ReturnsCanonicalValue()
    {
        var result = FieldValues.Parse(StandardObjects.Opportunity, StandardObjects.Opportunity.Field("StageName"), Json("\"closed won\""));
        Assert.True(result.IsOk);
        Assert.Equal("Closed Won", result.Value);
    }

    [Fact]
    public void Parse_UnknownPicklistValue_ListsAllowedValues()
    {
        var result = FieldValues.Parse(StandardObjects.Task, StandardObjects.Task.Field("Status"), Json("\"Done\""));
        Assert.False(result.IsOk);
        Assert.Equal("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", result.Error!.Code);
        Assert.Equal("Task.Status: 'Done' is not an allowed value. Send one of: Not Started, In Progress, Completed, Waiting on someone else, Deferred.", result.Error.Message);
        Assert.Equal("Status", result.Error.Field);
    }

    [Theory]
    [InlineData("\"2026-12-31T15:00:00Z\"", "2026-12-31T15:00:00.000")]
    [InlineData("\"2026-12-31T17:00:00+02:00\"", "2026-12-31T15:00:00.000")]
    [InlineData("\"2026-12-31T17:00:00.123+0200\"", "2026-12-31T15:00:00.123")]
    [InlineData("\"2026-12-31T15:00:00.5\"", "2026-12-31T15:00:00.500")]
    public void Parse_DateTimeForms_AreUtcMilliseconds(string json, string expected)
    {
        var result = FieldValues.Parse(StandardObjects.Event, StandardObjects.Event.Field("StartDateTime"), Json(json));
        Assert.True(result.IsOk, result.Error?.Message);
        var time = Assert.IsType<DateTime>(result.Value);
        Assert.Equal(DateTimeKind.Utc, time.Kind);
        Assert.Equal(expected, time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff"));
    }

    [Fact]
    public void Parse_NumberForStringField_NamesFieldAndExample()
    {
        var result = FieldValues.Parse(StandardObjects.Contact, StandardObjects.Contact.Field("LastName"), Json("5"));
        Assert.Equal("INVALID_TYPE", result.Error!.Code);
        Assert.Equal("Contact.LastName must be a string; got the number 5. Send e.g. \"text\".", result.Error.Message);
    }

    [Fact]
    public void Parse_ReferenceToWrongObject_SaysWhichObjectTheIdIs()
    {
        var result = FieldValues.Parse(StandardObjects.Contact, StandardObjects.Contact.Field("AccountId"), Json("\"0031t6IaGGIbaKQA0Z\""));
        Assert.Equal("INVALID_CROSS_REFERENCE_KEY", result.Error!.Code);
        Assert.Equal("Contact.AccountId must point to Account; '0031t6IaGGIbaKQA0Z' is the Id of a Contact. Send the Id of an Account (001…).", result.Error.Message);
    }

    [Theory]
    [InlineData("\"not-an-email\"")]
    [InlineData("\"a@b\"")]
    [InlineData("\"a b@c.com\"")]
    public void Parse_BadEmail_IsRejected(string json)
    {
        var result = FieldValues.Parse(StandardObjects.Contact, StandardObjects.Contact.Field("Email"), Json(json));
        Assert.Equal("INVALID_FIELD_VALUE", result.Error!.Code);
    }

    [Fact]
    public void Parse_ProbabilityOver100_IsRejected()
    {
        var result = FieldValues.Parse(StandardObjects.Opportunity, StandardObjects.Opportunity.Field("Probability"), Json("150"));
        Assert.Equal("Opportunity.Probability is a percentage from 0 to 100; 150 was sent. Send e.g. 40.", result.Error!.Message);
    }

    [Fact]
    public void Parse_TooLong_SaysLimit()
    {
        var result = FieldValues.Parse(StandardObjects.Contact, StandardObjects.Contact.Field("FirstName"), Json($"\"{new string('x', 41)}\""));
        Assert.Equal("Contact.FirstName holds at most 40 characters; 41 were sent ('" + new string('x', 41) + "'). Shorten the value.", result.Error!.Message);
    }
}
