using Microsoft.IdentityModel.Tokens;

namespace RevOps.Server.Auth;

/// <summary>
/// One trusted token issuer: tokens it signs (HS256 with a shared secret, or RS256/ES256 with the
/// keys of a JWKS file) are accepted as bearer tokens when they name this server as audience.
/// </summary>
/// <param name="Issuer">The exact `iss` value tokens must carry.</param>
/// <param name="Audience">The exact `aud` value tokens must carry (usually the server's /mcp URL).</param>
/// <param name="HmacSecret">Shared secret for HS256, at least 32 bytes.</param>
/// <param name="JwksFile">Path of a JSON Web Key Set with the issuer's public RSA or EC keys.</param>
public sealed record JwtIssuer(string Issuer, string Audience, string? HmacSecret, string? JwksFile)
{
    public const int MinimumSecretBytes = 32;

    /// <summary>Why this configuration cannot verify tokens, or null when it can.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Issuer)) return "the JWT issuer is empty; pass --jwt-issuer with the exact iss value of your tokens.";
        if (string.IsNullOrWhiteSpace(Audience)) return "a JWT audience is required with --jwt-issuer; pass --jwt-audience with the aud value your tokens carry (e.g. https://crm.example.com/mcp).";
        if (HmacSecret is null && JwksFile is null) return "a JWT issuer needs keys: pass --jwt-secret-file <file> (or REVOPS_JWT_SECRET) for HS256, or --jwt-jwks <file> for RS256/ES256.";
        if (HmacSecret is not null && System.Text.Encoding.UTF8.GetByteCount(HmacSecret) < MinimumSecretBytes)
            return $"the HS256 secret must be at least {MinimumSecretBytes} bytes.";
        if (JwksFile is not null && !File.Exists(JwksFile)) return $"the JWKS file '{JwksFile}' does not exist.";
        return null;
    }

    public IReadOnlyList<SecurityKey> SigningKeys()
    {
        var keys = new List<SecurityKey>();
        if (HmacSecret is not null) keys.Add(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(HmacSecret)));
        if (JwksFile is not null) keys.AddRange(new JsonWebKeySet(File.ReadAllText(JwksFile)).GetSigningKeys());
        return keys;
    }

    /// <summary>Only the algorithms the configured keys are for: a token cannot pick a weaker one (or none).</summary>
    public IReadOnlyList<string> Algorithms()
    {
        var algorithms = new List<string>();
        if (HmacSecret is not null) algorithms.Add(SecurityAlgorithms.HmacSha256);
        if (JwksFile is not null) algorithms.AddRange([SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256]);
        return algorithms;
    }
}
