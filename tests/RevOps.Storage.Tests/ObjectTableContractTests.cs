using RevOps.Domain.Metadata;
using RevOps.Storage.Schema;

namespace RevOps.Storage.Tests;

/// <summary>
/// Schema/ObjectTable generates a record table from the metadata registry; new objects get their tables
/// from it. The six standard objects' tables were made by hand-written migrations, so they are the
/// reference: a table generated beside each must have the same columns of the same types (and, on
/// PostgreSQL, collations, and the row-level security every tenant table has). This test reaches one
/// internal class (the generator) and reads the engine's catalog, which only it needs.
/// </summary>
public sealed class ObjectTableContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every standard object on every enabled backend, each case with the trait Backend=&lt;kind&gt; as <see cref="BackendsAttribute"/> gives (test.sh filters on it).</summary>
    public static IEnumerable<ITheoryDataRow> ObjectsOnEachBackend()
    {
        foreach (var kind in BackendsAttribute.Enabled)
            foreach (var obj in StandardObjects.All)
            {
                var row = new TheoryDataRow<string, string>(kind, obj.Name);
                row.Traits["Backend"] = new HashSet<string>(StringComparer.Ordinal) { kind };
                yield return row;
            }
    }

    [Theory, MemberData(nameof(ObjectsOnEachBackend))]
    public async Task Create_StandardObject_MatchesTheMigratedTableColumnForColumn(string kind, string objectName)
    {
        var obj = StandardObjects.All.Single(o => o.Name == objectName);
        var store = await backends.SharedAsync(kind);
        var db = store.Backend.Database;
        string generated = obj.Table + "_generated";
        string ddl = ObjectTable.Create(obj, db.Dialect, generated);
        await db.WriteAcrossTenantsAsync(session =>
        {
            foreach (var statement in ddl.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                session.Command(statement).ExecuteNonQuery();
            return Task.FromResult(0);
        }, Ct);

        var expected = Columns(db, kind, obj.Table);
        var actual = Columns(db, kind, generated);

        Assert.Equal(expected.Keys.Order(StringComparer.OrdinalIgnoreCase), actual.Keys.Order(StringComparer.OrdinalIgnoreCase));
        foreach (var (column, type) in expected) Assert.Equal((column, type), (column, actual[column]));
        Assert.Contains("custom_fields", actual.Keys, StringComparer.OrdinalIgnoreCase);
        if (kind == BackendsAttribute.Postgres)
            Assert.Equal(RowSecurity(db, obj.Table), RowSecurity(db, generated));
    }

    /// <summary>Each column's declared type (SQLite) or type and collation (PostgreSQL), by lower-case name.</summary>
    static Dictionary<string, string> Columns(Sql.SqlDatabase db, string kind, string table) => db.ReadAcrossTenants(session =>
    {
        var command = session.Command(kind == BackendsAttribute.Sqlite
            ? "SELECT name, type FROM pragma_table_info(@table)"
            : "SELECT column_name, data_type || COALESCE(' ' || collation_name, '') FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table");
        session.Dialect.AddText(command, "@table", table);
        using var reader = command.ExecuteReader();
        var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) columns[reader.GetString(0).ToLowerInvariant()] = reader.GetString(1).ToUpperInvariant();
        return columns;
    });

    /// <summary>Whether row-level security is on and which policies guard the table.</summary>
    static string RowSecurity(Sql.SqlDatabase db, string table) => db.ReadAcrossTenants(session =>
    {
        var command = session.Command("""
            SELECT c.relrowsecurity::text || ':' || COALESCE(string_agg(p.polname || '=' || pg_get_expr(p.polqual, p.polrelid), ',' ORDER BY p.polname), '')
            FROM pg_class c LEFT JOIN pg_policy p ON p.polrelid = c.oid
            WHERE c.relname = @table AND c.relnamespace = current_schema()::regnamespace GROUP BY c.relrowsecurity
            """);
        session.Dialect.AddText(command, "@table", table);
        return (string)command.ExecuteScalar()!;
    });
}
