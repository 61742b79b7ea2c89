using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RevOps.Server.Auth;

namespace RevOps.Server.Tests;

/// <summary>
/// A token issuer the test server trusts: an HS256 secret and a JWKS file with one RSA and one
/// EC P-256 public key; it mints tokens with any claims, signed by any of those keys.
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "https://crm.test/mcp";

    readonly RSA _rsa = RSA.Create(2048);
    readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string Secret { get; } = "test-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    public string JwksFile { get; }

    public TestTokenIssuer(string directory)
    {
        Directory.CreateDirectory(directory);
        JwksFile = Path.Combine(directory, "issuer-jwks.json");
        var rsa = _rsa.ExportParameters(false);
        var ec = _ec.ExportParameters(false);
        File.WriteAllText(JwksFile, "{\"keys\":["
            + $"{{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"{B64(rsa.Modulus!)}\",\"e\":\"{B64(rsa.Exponent!)}\"}},"
            + $"{{\"kty\":\"EC\",\"kid\":\"ec-1\",\"use\":\"sig\",\"alg\":\"ES256\",\"crv\":\"P-256\",\"x\":\"{B64(ec.Q.X!)}\",\"y\":\"{B64(ec.Q.Y!)}\"}}"
            + "]}");
    }

    public JwtIssuer Settings => new(Issuer, Audience, Secret, JwksFile);

    public SigningCredentials Hs256 => new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)), SecurityAlgorithms.HmacSha256);
    public SigningCredentials Rs256 => new(new RsaSecurityKey(_rsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256);
    public SigningCredentials Es256 => new(new ECDsaSecurityKey(_ec) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256);

    /// <summary>A signed token; every part can be overridden to make it wrong in one way.</summary>
    public string Mint(string tenant, string scope = "write", string subject = "agent@example.com", SigningCredentials? signing = null,
        string issuer = Issuer, string audience = Audience, DateTime? expires = null, DateTime? notBefore = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["tenant"] = tenant, ["scope"] = scope, ["sub"] = subject };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = signing ?? Hs256,
        });
    }

    /// <summary>The same claims with `alg: none` and no signature, as an attacker would send them.</summary>
    public static string Unsigned(string tenant)
    {
        long exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        string header = B64(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
        string payload = B64(Encoding.UTF8.GetBytes($"{{\"iss\":\"{Issuer}\",\"aud\":\"{Audience}\",\"sub\":\"x\",\"tenant\":\"{tenant}\",\"scope\":\"admin\",\"exp\":{exp}}}"));
        return header + "." + payload + ".";
    }

    static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }
}
