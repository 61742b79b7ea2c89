namespace RevOps.Server.Tests.Hostile;

/// <summary>The hostile values the corpus plants in every string parameter, path segment and query string.</summary>
public static class HostileValues
{
    public static readonly string[] Injection =
    [
        "' OR 1=1 --", "'; DROP TABLE contact; --", "\" OR \"\"=\"", "x' UNION SELECT key_hash FROM api_keys --", "1; DELETE FROM account", "') OR ('a'='a",
        "' OR Name LIKE '%", "%", "_", "%%%_%%%", "\\", "\\'", "'", "''", "' AND Id IN (SELECT Id FROM Contact) AND Name = '", "*", "NEAR(a b)", "a OR b",
        "\"unterminated", "col:val", "^x", "tenant_id:*", "-x", "x AND NOT y", "{!x}", "${jndi:ldap://x}", "{{7*7}}", "<script>alert(1)</script>",
        "SELECT Id FROM Contact", "'/**/OR/**/1=1", "0x27", "CHAR(39)", "\u0027 OR 1=1", "; ATTACH DATABASE '/tmp/x' AS x; --", "' || (SELECT sqlite_version()) || '",
    ];

    public static readonly string[] OddIds =
    [
        "../", "../../etc/passwd", "..%2f..%2f", "%2e%2e", "%2e%2e%2f", "..\\..\\", "003000000000001AAB", "003000000000001", "00300000000000", "0030000000000011AAA",
        "005000000000001AAA", "00D000000000001AAA", "000000000000000", "zzzzzzzzzzzzzzz", "003000000000001aaa", "ОО3000000000001AAA", "003000000000001ΑΑΑ",
        "003000000000001AA\u0000", "003%00", "%00", "/", "//", "?", "#", ";", "003000000000001AAA/../..", "003000000000001AAA%2F..", "\t003000000000001AAA ",
    ];

    public static readonly string[] Unicode =
    [
        "\\ud800", "\\udfff", "\\ud800\\u0041", "\u202Egnirts", "\u200F\u200E", "\u0000", "a\u0000b", "😀🔥👨‍👩‍👧", "e" + new string('\u0301', 200), "\uFEFF", "\u200B\u200D",
        "Ｓｅｌｅｃｔ", "İı", "ß", "\u0085\u2028\u2029", "\r\n\r\nX-Injected: 1",
    ];

    /// <summary>Values of every JSON type, for parameters that expect another.</summary>
    public static readonly string[] WrongTypesJson =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e308", "-1e308", "1e400", "123456789012345678901234567890", "-0", "[]", "[1,2]", "{}", "{\"a\":1}",
        "\"\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e999\"", "\"0x1F\"", "\"true\"", "\"null\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "\"" + new string('x', 70_000) + "\"", "[" + string.Join(",", Enumerable.Repeat("\"003000000000001AAA\"", 3000)) + "]",
    ];

    /// <summary>Raw bodies that are not valid UTF-8 or not JSON at all: overlong encodings, surrogates in UTF-8, stray bytes.</summary>
    public static readonly byte[][] BadBytes =
    [
        [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xFF, 0xFE], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0xEF, 0xBB, 0xBF],
    ];
}
