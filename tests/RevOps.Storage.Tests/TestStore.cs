using System.Text.Json;
using Npgsql;
using RevOps.Domain;
using RevOps.Domain.Audit;
using RevOps.Domain.Ids;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Search;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Domain.Writes;

namespace RevOps.Storage.Tests;

/// <summary>
/// One opened backend (a fresh SQLite file, or a fresh PostgreSQL database) with the Domain services
/// production builds over it. Tests reach storage only through <see cref="Backend"/>'s properties and
/// these services, never the internal classes behind them.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    readonly string? _directory;
    readonly string? _database;
    readonly string? _connectionString;

    TestStore(StorageBackend backend, string? directory, string? database, string? connectionString = null)
    {
        Backend = backend;
        _directory = directory;
        _database = database;
        _connectionString = connectionString;
        var time = TimeProvider.System;
        var ids = IdGenerator.WithRandomNode();
        TenantService = new TenantService(backend.Tenants, backend.Users, ids, time);
        Schemas = new SchemaService(backend.CustomFields, time, backend.CustomObjects);
        RecordService = new RecordService(backend.Records, Schemas, ids, time);
        RecycleBin = new RecycleBin(backend.Records, time);
        SoqlService = new SoqlService(backend.Soql, Schemas, time);
        SearchService = new SearchService(backend.Search);
        PipelineService = new PipelineService(backend.Pipeline, backend.Records, time);
        WebhookService = new WebhookService(backend.Webhooks, new AnyWebhookTarget(), time);
    }

    public StorageBackend Backend { get; }

    /// <summary>The PostgreSQL test database as its owner, for tests that look beneath the store (plans, catalogs, roles).</summary>
    public string PostgresConnectionString => _connectionString ?? throw new InvalidOperationException("This store is SQLite.");
    public TenantService TenantService { get; }
    public SchemaService Schemas { get; }
    public RecordService RecordService { get; }
    public RecycleBin RecycleBin { get; }
    public SoqlService SoqlService { get; }
    public SearchService SearchService { get; }
    public PipelineService PipelineService { get; }
    public WebhookService WebhookService { get; }

    /// <summary>The services over a backend the test opened itself (and disposes, with its files).</summary>
    public static TestStore Open(StorageBackend backend) => new(backend, null, null);

    /// <summary>A fresh, migrated database of the given kind ("SQLite" or "PostgreSQL").</summary>
    public static async Task<TestStore> OpenAsync(string kind)
    {
        if (kind == BackendsAttribute.Sqlite)
        {
            string directory = Path.Combine(Path.GetTempPath(), "revops-contract-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return new TestStore(StorageBackend.Open(new StorageLocation(Path.Combine(directory, "revops.db"))), directory, null);
        }
        string server = BackendsAttribute.PostgresServer
            ?? throw new InvalidOperationException("PostgreSQL cases are generated only when REVOPS_TEST_PG is set.");
        string name = "revops_contract_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            // The name is generated above (letters, digits and '_'), never input.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        string database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestStore(StorageBackend.Open(new StorageLocation("", database)), null, name, database);
    }

    /// <summary>A new tenant with its first (admin) key, and the caller that key stands for.</summary>
    public async Task<TestTenant> NewTenantAsync(string name, CancellationToken ct)
    {
        var created = await TenantService.CreateTenantAsync(name, name.ToLowerInvariant() + ".test", "professional", AuditSource.Cli, ct);
        Assert.True(created.IsOk, created.IsOk ? "" : created.Error.Message);
        var (tenant, key, secret, user) = created.Value;
        var caller = new Caller(tenant.Id, user.Id, key.Scopes, "rest") { RequestId = "req-" + name.ToLowerInvariant(), ActorName = user.Name, KeyId = key.Id };
        return new TestTenant(tenant, key, secret, caller, this, user);
    }

    /// <summary>
    /// Holds what a write of <paramref name="tenant"/> needs from outside the server's own connections, until disposed: the
    /// SQLite file's write lock (BEGIN IMMEDIATE), or the tenant's row on PostgreSQL (SELECT … FOR UPDATE), as another node's
    /// write would. Writes started meanwhile queue behind it.
    /// </summary>
    public async Task<IAsyncDisposable> HoldWritesAsync(TenantId tenant)
    {
        if (_directory is not null)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, "revops.db")};Pooling=False");
            file.Open();
            using (var begin = file.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                begin.ExecuteNonQuery();
            }
            return new Held(async () => { using var commit = file.CreateCommand(); commit.CommandText = "COMMIT"; commit.ExecuteNonQuery(); await file.DisposeAsync(); });
        }
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM tenants WHERE id = @id FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.AddWithValue("id", tenant.Value);
            Assert.Equal(1, await lockRow.ExecuteScalarAsync());
        }
        return new Held(async () => { await transaction.CommitAsync(); await connection.DisposeAsync(); });
    }

    sealed class Held(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }

    bool _disposed;

    /// <summary>Closes the backend and deletes its file or drops its database; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await Backend.DisposeAsync();
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
        if (_database is not null && BackendsAttribute.PostgresServer is { } server)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Record input from a JSON object, as a caller would send it.</summary>
    public static RecordInput Input(string json)
    {
        using var document = JsonDocument.Parse(json);
        return RecordInput.From(document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())).ToArray());
    }

    /// <summary>Webhook targets are checked against the network in production; here every URL is accepted (nothing is sent).</summary>
    sealed class AnyWebhookTarget : IWebhookTargetPolicy
    {
        public Task<Domain.Errors.CrmError?> CheckAsync(Uri url, CancellationToken ct) => Task.FromResult<Domain.Errors.CrmError?>(null);
    }
}
