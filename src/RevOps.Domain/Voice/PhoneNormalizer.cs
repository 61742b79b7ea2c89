using PhoneNumbers;
using RevOps.Domain.Duplicates;

namespace RevOps.Domain.Voice;

/// <summary>
/// Phone numbers in one form (E.164, "+14155550100") with libphonenumber, so "(415) 555-0100" stored on a Contact and
/// "+14155550100" from Twilio are the same number. A number without a country code is read in the tenant's region.
/// </summary>
public static class PhoneNormalizer
{
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Longer text is no phone number (E.164 has at most 15 digits; formatting and an extension fit well within this).</summary>
    public const int MaxLength = 64;

    public static bool IsRegion(string? region) => region is { Length: 2 } && Util.GetSupportedRegions().Contains(region.ToUpperInvariant());

    /// <summary>The number in E.164 form, or false when the text cannot be a phone number in that region.</summary>
    public static bool TryNormalize(string? text, string region, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength) return false;
        try
        {
            var number = Util.Parse(text, region.ToUpperInvariant());
            if (!Util.IsPossibleNumber(number)) return false;
            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>The number as people read it, e.g. "+1 415-555-0100".</summary>
    public static string Display(string e164)
    {
        try { return Util.Format(Util.Parse(e164, null), PhoneNumberFormat.INTERNATIONAL); }
        catch (NumberParseException) { return e164; }
    }

    /// <summary>
    /// The keys of the search index's phone columns (their last 10 digits, <see cref="DuplicateKeys.Phone"/>) under which a
    /// record holding this number may be stored: written internationally, nationally, or nationally with a trunk 0.
    /// Candidates found by these keys are then compared by their own E.164 form.
    /// </summary>
    public static IReadOnlyCollection<string> IndexKeys(string e164)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (DuplicateKeys.Phone(e164) is { } international) keys.Add(international);
        try
        {
            string national = Util.GetNationalSignificantNumber(Util.Parse(e164, null));
            if (DuplicateKeys.Phone(national) is { } bare) keys.Add(bare);
            if (DuplicateKeys.Phone("0" + national) is { } trunk) keys.Add(trunk);
        }
        catch (NumberParseException) { }
        return keys;
    }
}
