using System.Diagnostics;
using Microsoft.Data.Sqlite;

// Runs the statements the SQLite writer runs for MCP create_contact (bench/results/2026-12-07-create-path.md §1) on a
// copy of a migrated revops database: per create a savepoint, the change-sequence update, the contact row (its search
// triggers fire) and the change-log row; per transaction of GROUP creates the full-text flush and a durable COMMIT
// (synchronous FULL, as the writer). The contacts are the bench's (names, e-mail, title; no phone, mobile, Account or
// website). Prints the process CPU and the WAL bytes per create over the last CREATES after SEED creates.
// Usage: create-cost DB [CREATES=8000] [SEED=8000] [GROUP=8] [nosavepoint]
// nosavepoint: the creates without their savepoints, to price what the writer's per-request savepoint costs.
string db = args[0];
int creates = Arg(1, 8000), seed = Arg(2, 8000), group = Arg(3, 8);
bool savepoints = !(args.Length > 4 && args[4] == "nosavepoint");
using var c = new SqliteConnection($"Data Source={db};Pooling=False");
c.Open();
Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=0;");
string tenant = Guid.NewGuid().ToString(), owner = "005000000000001AAA";
Exec($"INSERT INTO tenants (id, name, subscription_tier, created_at) VALUES ('{tenant}', 'cost', 'enterprise', '2026-12-07T00:00:00Z')");

var seq = Prepare("UPDATE tenants SET change_seq = change_seq + 1 WHERE id = @t RETURNING change_seq");
var contact = Prepare("""
    INSERT INTO contact (tenant_id, Id, row_version, IsDeleted, CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp,
        FirstName, LastName, Name, Email, Title, OwnerId)
    VALUES (@t, @id, 1, 0, @at, @o, @at, @o, @at, 'Load', @last, 'Load ' || @last, @last || '@bench.example', 'Benchmark', @o)
    """);
var change = Prepare("""
    INSERT INTO change_log (tenant_id, seq, object, record_id, operation, changes, actor_id, actor_name, key_id, channel, request_id, created_at)
    VALUES (@t, @seq, 'Contact', @id, 'create', '{"FirstName":"Load","LastName":"x","Email":"x@bench.example","Title":"Benchmark"}', @o, 'Bench Admin', 'key', 'mcp', 'req', @at)
    """);
string[] flush =
[
    "INSERT INTO search_fts (rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits) " +
    "SELECT d.id, d.tenant_token, d.name, d.email, d.phone, d.mobile_phone, d.company, d.title, d.website, d.city, d.digits FROM fts_queue q JOIN search_doc d ON d.id = q.id ORDER BY q.id",
    "INSERT INTO fuzzy_trigram (rowid, name, email, company) SELECT d.id, d.name, d.email, d.company FROM fts_queue q JOIN search_doc d ON d.id = q.id ORDER BY q.id",
    "DELETE FROM fts_queue",
];
var control = new[] { "BEGIN IMMEDIATE", "SAVEPOINT w", "RELEASE w", "COMMIT" }.Concat(flush).ToDictionary(s => s, Prepare);

Run(0, seed);
Exec("PRAGMA wal_checkpoint(TRUNCATE)");
var process = Process.GetCurrentProcess();
var cpu = process.TotalProcessorTime;
Run(seed, creates);
process.Refresh();
long wal = new FileInfo(db + "-wal").Length;
Console.WriteLine($"{(process.TotalProcessorTime - cpu).TotalMicroseconds / creates:F0} us CPU per create, {wal / creates} WAL bytes per create " +
                  $"({creates} creates in transactions of {group}{(savepoints ? "" : " without savepoints")}, after {seed}; sqlite {c.ServerVersion})");

void Run(int first, int count)
{
    string at = "2026-12-07T01:00:00.000Z";
    for (int g = first; g < first + count; g += group)
    {
        control["BEGIN IMMEDIATE"].ExecuteNonQuery();
        for (int i = g; i < g + group; i++)
        {
            string id = $"003{i:D15}";
            if (savepoints) control["SAVEPOINT w"].ExecuteNonQuery();
            Bind(seq, ("@t", tenant));
            long n = (long)seq.ExecuteScalar()!;
            Bind(contact, ("@t", tenant), ("@id", id), ("@at", at), ("@o", owner), ("@last", $"c{i}"));
            contact.ExecuteNonQuery();
            Bind(change, ("@t", tenant), ("@seq", n), ("@id", id), ("@o", owner), ("@at", at));
            change.ExecuteNonQuery();
            if (savepoints) control["RELEASE w"].ExecuteNonQuery();
        }
        foreach (string s in flush) control[s].ExecuteNonQuery();
        control["COMMIT"].ExecuteNonQuery();
    }
}

SqliteCommand Prepare(string sql)
{
    var k = c.CreateCommand();
    k.CommandText = sql;
    return k;
}

static void Bind(SqliteCommand k, params (string Name, object Value)[] values)
{
    k.Parameters.Clear();
    foreach (var (name, value) in values) k.Parameters.AddWithValue(name, value);
}

void Exec(string sql)
{
    using var k = c.CreateCommand();
    k.CommandText = sql;
    k.ExecuteNonQuery();
}

int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
