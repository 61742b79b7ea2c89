using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace RevOps.Bench.Cluster;

/// <summary>
/// How soon a commit on node A reaches a change stream on node B when the nodes share only PostgreSQL (no
/// Redis): one stream open on B, then writes on A one at a time, each timed from sending the write to the
/// change's line arriving on B's stream. Without a notice B would see it at its next re-read (15 s).
/// </summary>
/// <param name="WriteMs">Median of the write's own round trip on A (a durable commit).</param>
/// <param name="ArrivalMs">Median from sending the write to its change arriving on B: the write plus the wake-up.</param>
/// <param name="AfterAnswerMs">Median of arrival minus the write's answer on A: the wake-up alone, as far as the client can see it (negative when B's stream was faster than A's answer).</param>
public sealed record WakeUpResult(int Samples, double WriteMs, double ArrivalMs, double ArrivalP90Ms, double ArrivalMaxMs, double AfterAnswerMs, double AfterAnswerP90Ms, int Missed);

public static class ClusterWakeUp
{
    static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(5);

    public static async Task<WakeUpResult> MeasureAsync(HttpClient http, Uri nodeA, Uri nodeB, string apiKey, int samples, CancellationToken ct)
    {
        using var stream = new HttpRequestMessage(HttpMethod.Get, new Uri(nodeB, "/api/changes/stream"));
        stream.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var lines = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        // The stream reaches its wait before the first write.
        await Task.Delay(500, ct);

        var write = new List<double>();
        var arrival = new List<double>();
        var afterAnswer = new List<double>();
        int missed = 0;
        string tag = DateTime.UtcNow.ToString("HHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < samples; i++)
        {
            string lastName = $"Wake{tag}x{i}";
            using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(nodeA, "/services/data/v60.0/sobjects/Contact"))
            {
                Content = new StringContent($$"""{"LastName":"{{lastName}}"}""", Encoding.UTF8, "application/json"),
            };
            post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            var clock = Stopwatch.StartNew();
            // The answer's time is taken when it arrives, while this loop may still be reading B's stream.
            var sent = http.SendAsync(post, ct).ContinueWith(t => (Answer: t, At: clock.Elapsed.TotalMilliseconds), ct, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            double? arrived = await ReadUntilAsync(lines, lastName, clock, ct);
            var (answerTask, answered) = await sent;
            using var answer = await answerTask;
            if (!answer.IsSuccessStatusCode) throw new InvalidOperationException($"write {i} on node A: {(int)answer.StatusCode}");
            if (arrived is not { } at)
            {
                // Giving up on a read aborts the stream (HttpClient disposes a response whose read was cancelled): the rest count as missed.
                missed = samples - arrival.Count;
                break;
            }
            write.Add(answered);
            arrival.Add(at);
            afterAnswer.Add(at - answered);
        }
        return new WakeUpResult(arrival.Count, Median(write), Median(arrival), Percentile(arrival, 0.9), arrival.DefaultIfEmpty().Max(), Median(afterAnswer),
            Percentile(afterAnswer, 0.9), missed);
    }

    /// <summary>Reads the stream until a change line names the write; the time it arrived, or null after <see cref="GiveUp"/>.</summary>
    static async Task<double?> ReadUntilAsync(StreamReader lines, string lastName, Stopwatch clock, CancellationToken ct)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
        within.CancelAfter(GiveUp);
        try
        {
            while (await lines.ReadLineAsync(within.Token) is { } line)
                if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(lastName, StringComparison.Ordinal))
                    return clock.Elapsed.TotalMilliseconds;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        return null;
    }

    static double Median(List<double> values) => Percentile(values, 0.5);

    static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return Math.Round(sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))], 2);
    }
}
