using System.Text.RegularExpressions;

namespace RevOps.Storage.Files;

/// <summary>
/// Where an S3-compatible blob store is, from <c>--files s3://bucket?endpoint=…&amp;region=…&amp;prefix=…</c>. Only the place is in
/// the URL: credentials come from the environment or a credentials file (<see cref="S3Credentials"/>), never from a command line
/// that process lists and shell histories keep.
/// </summary>
public sealed partial record S3Location(string Bucket, Uri? Endpoint, string Region, string Prefix)
{
    public const string Scheme = "s3://";
    static readonly string[] Parameters = ["endpoint", "region", "prefix"];

    public static bool IsS3(string? files) => files?.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The location, or why <paramref name="url"/> is none (a sentence saying what to send instead).</summary>
    public static (S3Location? Location, string? Problem) Parse(string url)
    {
        const string Shape = "Use s3://<bucket>?endpoint=https://<host>&region=<region> (endpoint only for a store other than AWS; prefix=<folder/> optional).";
        if (!IsS3(url)) return (null, $"--files '{url}' is no s3:// URL. {Shape}");
        string rest = url[Scheme.Length..];
        int query = rest.IndexOf('?', StringComparison.Ordinal);
        string bucket = query < 0 ? rest : rest[..query];
        if (bucket.Contains('@', StringComparison.Ordinal) || bucket.Contains(':', StringComparison.Ordinal))
            return (null, "--files: the s3:// URL must not carry credentials (they would show in process lists). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_SHARED_CREDENTIALS_FILE, and give only the bucket in the URL.");
        bucket = bucket.TrimEnd('/');
        if (!BucketName().IsMatch(bucket))
            return (null, $"--files: '{bucket}' is no S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit). {Shape}");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in (query < 0 ? "" : rest[(query + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!Parameters.Contains(name)) return (null, $"--files: unknown parameter '{name}' in the s3:// URL; only {string.Join(", ", Parameters)} are read (credentials come from the environment).");
            if (!values.TryAdd(name, value)) return (null, $"--files: '{name}' is given twice in the s3:// URL.");
        }
        Uri? endpoint = null;
        if (values.TryGetValue("endpoint", out string? endpointText))
        {
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.Host.Length == 0)
                return (null, $"--files: endpoint '{endpointText}' is no http(s) URL. Give the store's address, e.g. endpoint=https://s3.example.com:9000.");
            if (endpoint.UserInfo.Length > 0)
                return (null, "--files: the endpoint must not carry credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead.");
            if (endpoint.AbsolutePath != "/" || endpoint.Query.Length > 0)
                return (null, $"--files: endpoint '{endpointText}' must be the store's address only (scheme, host and port); the bucket goes after s3://.");
        }
        string region = values.GetValueOrDefault("region") ?? (endpoint is null ? "" : "us-east-1");
        if (!RegionName().IsMatch(region))
            return (null, region.Length == 0
                ? "--files: region is missing from the s3:// URL (e.g. region=eu-west-1); it is needed for AWS itself."
                : $"--files: '{region}' is no region name (lower-case letters, digits and hyphens, e.g. eu-west-1).");
        string prefix = values.GetValueOrDefault("prefix") ?? "";
        if (prefix.Length > 0)
        {
            prefix = prefix.Trim('/') + "/";
            if (prefix.Length > 200 || prefix.Split('/').Any(p => p is "." or "..") || !PrefixText().IsMatch(prefix))
                return (null, $"--files: prefix '{values["prefix"]}' may hold only letters, digits, '-', '_', '.' and '/' (no '..'), at most 200 characters.");
        }
        return (new S3Location(bucket, endpoint, region, prefix), null);
    }

    public override string ToString() => $"s3://{Bucket}/{Prefix}" + (Endpoint is null ? "" : $" at {Endpoint.GetLeftPart(UriPartial.Authority)}");

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,30}$")]
    private static partial Regex RegionName();

    [GeneratedRegex("^[A-Za-z0-9._/-]+$")]
    private static partial Regex PrefixText();
}
