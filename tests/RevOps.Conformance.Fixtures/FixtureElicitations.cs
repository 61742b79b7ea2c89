using ModelContextProtocol.Protocol;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace RevOps.Conformance.Fixtures;

/// <summary>The elicitation requests of the suite's elicitation scenarios (plain form, SEP-1034 defaults, SEP-1330 enum shapes).</summary>
public static class FixtureElicitations
{
    public static ElicitRequestParams UserDetails(string message) => new()
    {
        Message = message,
        RequestedSchema = new RequestSchema
        {
            Properties = new Dictionary<string, PrimitiveSchemaDefinition>
            {
                ["username"] = new StringSchema { Description = "User's response" },
                ["email"] = new StringSchema { Description = "User's email address" },
            },
            Required = ["username", "email"],
        },
    };

    public static ElicitRequestParams WithDefaults() => new()
    {
        Message = "Test client default value handling - please accept with defaults",
        RequestedSchema = new RequestSchema
        {
            Properties = new Dictionary<string, PrimitiveSchemaDefinition>
            {
                ["name"] = new StringSchema { Description = "User name", Default = "John Doe" },
                ["age"] = new NumberSchema { Type = "integer", Description = "User age", Default = 30 },
                ["score"] = new NumberSchema { Description = "User score", Default = 95.5 },
                ["status"] = new UntitledSingleSelectEnumSchema { Description = "User status", Enum = ["active", "inactive", "pending"], Default = "active" },
                ["verified"] = new BooleanSchema { Description = "Verification status", Default = true },
            },
        },
    };

    public static ElicitRequestParams EnumShapes() => new()
    {
        Message = "Pick options of each enum shape",
        RequestedSchema = new RequestSchema
        {
            Properties = new Dictionary<string, PrimitiveSchemaDefinition>
            {
                ["untitledSingle"] = new UntitledSingleSelectEnumSchema { Enum = ["option1", "option2", "option3"] },
                ["titledSingle"] = new TitledSingleSelectEnumSchema
                {
                    OneOf = [new EnumSchemaOption { Const = "value1", Title = "First Option" }, new EnumSchemaOption { Const = "value2", Title = "Second Option" }, new EnumSchemaOption { Const = "value3", Title = "Third Option" }],
                },
#pragma warning disable MCP9001 // enumNames is the deprecated legacy shape the scenario checks on purpose.
                ["legacyEnum"] = new LegacyTitledEnumSchema { Enum = ["opt1", "opt2", "opt3"], EnumNames = ["Option One", "Option Two", "Option Three"] },
#pragma warning restore MCP9001
                ["untitledMulti"] = new UntitledMultiSelectEnumSchema { Items = new UntitledEnumItemsSchema { Enum = ["option1", "option2", "option3"] } },
                ["titledMulti"] = new TitledMultiSelectEnumSchema
                {
                    Items = new TitledEnumItemsSchema
                    {
                        AnyOf = [new EnumSchemaOption { Const = "value1", Title = "First Choice" }, new EnumSchemaOption { Const = "value2", Title = "Second Choice" }, new EnumSchemaOption { Const = "value3", Title = "Third Choice" }],
                    },
                },
            },
        },
    };
}
