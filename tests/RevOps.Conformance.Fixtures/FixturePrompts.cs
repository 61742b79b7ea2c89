using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace RevOps.Conformance.Fixtures;

/// <summary>The prompts the suite's prompt scenarios get: plain, with arguments, with an embedded resource, with an image.</summary>
public static class FixturePrompts
{
    public static IReadOnlyList<McpServerPrompt> All { get; } =
    [
        new FixturePrompt(new Prompt { Name = "test_simple_prompt", Description = "A prompt without arguments." },
            _ => [User(new TextContentBlock { Text = "This is a simple prompt for testing." })]),
        new FixturePrompt(new Prompt
        {
            Name = "test_prompt_with_arguments", Description = "A prompt that repeats its two arguments.",
            Arguments =
            [
                new PromptArgument { Name = "arg1", Description = "First test argument", Required = true },
                new PromptArgument { Name = "arg2", Description = "Second test argument", Required = true },
            ],
        }, a => [User(new TextContentBlock { Text = $"Prompt with arguments: arg1='{a["arg1"]}', arg2='{a["arg2"]}'" })]),
        new FixturePrompt(new Prompt
        {
            Name = "test_prompt_with_embedded_resource", Description = "A prompt that embeds the resource it is given.",
            Arguments = [new PromptArgument { Name = "resourceUri", Description = "URI of the resource to embed", Required = true }],
        }, a =>
        [
            User(new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = a["resourceUri"], MimeType = "text/plain", Text = "Embedded resource content for testing." } }),
            User(new TextContentBlock { Text = "Please process the embedded resource above." }),
        ]),
        new FixturePrompt(new Prompt { Name = "test_prompt_with_image", Description = "A prompt with an image." }, _ =>
        [
            User(ImageContentBlock.FromBytes(FixtureMedia.RedPixelPng, FixtureMedia.PngMimeType)),
            User(new TextContentBlock { Text = "Please analyze the image above." }),
        ]),
    ];

    static PromptMessage User(ContentBlock content) => new() { Role = Role.User, Content = content };
}
