using RevOps.Domain.Forecasting;
using RevOps.Domain.Rules;

namespace ForecastBacktest;

/// <summary>
/// A generated sales history with the dynamics real pipelines have, seeded so every run is the same: deals are created
/// through the year (more early in a quarter), move through the eight open stages with stage-dependent dwell times and
/// chances of being lost at each; bigger deals dwell longer and lose more often, better owners and more engaged buyers
/// lose less; engaged buyers get more activities; a deal about to be lost goes quiet 10 to 45 days before it is marked
/// lost; some wins slip to the last two weeks of their quarter. Nothing here is drawn independently of the rest.
/// </summary>
public static class SalesHistory
{
    static readonly double[] LossLogit = [-0.4, -0.8, -1.0, -1.3, -1.6, -1.8, -2.0, -2.3];
    static readonly double[] DwellDays = [10, 14, 18, 21, 18, 14, 14, 10];

    public static List<DealHistory> Generate(int seed, DateTime start, DateTime end, int owners = 12, double dealsPerDay = 4)
    {
        var random = new Random(seed);
        var skill = Enumerable.Range(0, owners).Select(_ => Normal(random) * 0.6).ToArray();
        var stages = OpportunityStages.All.Where(s => !s.IsClosed).Select(s => s.Name).ToArray();
        var deals = new List<DealHistory>();
        for (var day = start; day < end; day = day.AddDays(1))
        {
            // More deals open in a quarter's first month.
            double rate = dealsPerDay * ((day.Month - 1) % 3 == 0 ? 1.3 : 0.85);
            int count = Poisson(random, rate);
            for (int k = 0; k < count; k++)
            {
                var created = day.AddHours(8 + random.NextDouble() * 10);
                int owner = random.Next(owners);
                double amount = Math.Round(Math.Exp(Math.Log(20000) + 0.9 * Normal(random)) / 100) * 100;
                double size = Math.Log(amount / 20000);
                double engagement = Normal(random);

                var steps = new List<StageStep> { new(created, null, stages[0]) };
                var t = created;
                bool won = true;
                for (int s = 0; s < stages.Length; s++)
                {
                    t = t.AddDays(-Math.Log(1 - random.NextDouble()) * DwellDays[s] * Math.Clamp(1 + 0.35 * size, 0.5, 2.5));
                    double loss = Logistic(LossLogit[s] - 0.9 * skill[owner] - 0.6 * engagement + 0.35 * size);
                    if (random.NextDouble() < loss) { won = false; break; }
                    if (s + 1 < stages.Length) steps.Add(new StageStep(t, stages[s], stages[s + 1]));
                }
                if (won && random.NextDouble() < 0.4) t = SlipToQuarterEnd(t, random);
                var lastOpen = steps[^1].To;
                steps.Add(new StageStep(t, lastOpen, won ? "Closed Won" : "Closed Lost"));

                var activities = new List<DateTime>();
                double perDay = 0.25 * Math.Exp(0.5 * engagement);
                var quietFrom = won ? t : t.AddDays(-(10 + random.NextDouble() * 35));
                for (var a = created.AddDays(-Math.Log(1 - random.NextDouble()) / perDay); a < quietFrom; a = a.AddDays(-Math.Log(1 - random.NextDouble()) / perDay))
                    activities.Add(a);

                var closeDate = DateOnly.FromDateTime(t);
                deals.Add(new DealHistory($"D{deals.Count:D5}", null, $"owner{owner}", amount, won ? "Closed Won" : "Closed Lost", null, true, won,
                    closeDate, created, steps, activities));
            }
        }
        return deals;
    }

    static DateTime SlipToQuarterEnd(DateTime t, Random random)
    {
        var quarterEnd = new DateTime(t.Year, (t.Month - 1) / 3 * 3 + 1, 1).AddMonths(3).AddDays(-1);
        return t < quarterEnd.AddDays(-14) ? quarterEnd.AddDays(-random.NextDouble() * 14) : t;
    }

    static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    static int Poisson(Random random, double mean)
    {
        double l = Math.Exp(-mean), p = 1;
        int k = 0;
        do { k++; p *= random.NextDouble(); } while (p > l);
        return k - 1;
    }
}
