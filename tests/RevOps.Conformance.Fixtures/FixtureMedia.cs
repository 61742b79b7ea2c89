namespace RevOps.Conformance.Fixtures;

/// <summary>The smallest valid media the fixtures return: a 1×1 red PNG and a short silent WAV.</summary>
public static class FixtureMedia
{
    public const string PngMimeType = "image/png";
    public const string WavMimeType = "audio/wav";

    /// <summary>A 1×1 RGB PNG of one red pixel (IHDR, one zlib-compressed scanline, IEND).</summary>
    public static ReadOnlyMemory<byte> RedPixelPng { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    /// <summary>Ten milliseconds of 8 kHz, 8-bit mono silence: a 44-byte RIFF/WAVE header and 80 samples.</summary>
    public static ReadOnlyMemory<byte> SilentWav { get; } = BuildSilentWav(sampleRate: 8000, samples: 80);

    static byte[] BuildSilentWav(int sampleRate, int samples)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write("RIFF"u8);
            w.Write(36 + samples);
            w.Write("WAVE"u8);
            w.Write("fmt "u8);
            w.Write(16);                 // PCM format chunk size
            w.Write((short)1);           // PCM
            w.Write((short)1);           // mono
            w.Write(sampleRate);
            w.Write(sampleRate);         // bytes per second at one byte per sample
            w.Write((short)1);           // block align
            w.Write((short)8);           // bits per sample
            w.Write("data"u8);
            w.Write(samples);
            for (int i = 0; i < samples; i++) w.Write((byte)128); // unsigned 8-bit silence
        }
        return stream.ToArray();
    }
}
