using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace RevOps.Storage.Files;

/// <summary>
/// The S3 store's keys, from the environment (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, optional
/// <c>AWS_SESSION_TOKEN</c>) or else a credentials file in AWS's format (<c>AWS_SHARED_CREDENTIALS_FILE</c>, default
/// <c>~/.aws/credentials</c>; profile <c>AWS_PROFILE</c>, default <c>default</c>). Never from the command line.
/// </summary>
public static class S3Credentials
{
    public static (AWSCredentials? Credentials, string? Problem) Resolve(Func<string, string?> environment)
    {
        string? key = environment("AWS_ACCESS_KEY_ID"), secret = environment("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(key) || !string.IsNullOrEmpty(secret))
        {
            if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
                return (null, "--files s3://…: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (only one of them is set).");
            string? token = environment("AWS_SESSION_TOKEN");
            return (string.IsNullOrEmpty(token) ? new BasicAWSCredentials(key, secret) : new SessionAWSCredentials(key, secret, token), null);
        }
        string file = environment("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } named
            ? named
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "credentials");
        string profile = environment("AWS_PROFILE") is { Length: > 0 } p ? p : "default";
        if (!File.Exists(file))
            return (null, $"--files s3://…: no S3 credentials. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put them in a credentials file ({file}, or the file AWS_SHARED_CREDENTIALS_FILE names) under [{profile}].");
        var chain = new CredentialProfileStoreChain(file);
        return chain.TryGetAWSCredentials(profile, out var credentials)
            ? (credentials, null)
            : (null, $"--files s3://…: the credentials file {file} has no profile [{profile}] with aws_access_key_id and aws_secret_access_key (AWS_PROFILE picks another).");
    }
}
