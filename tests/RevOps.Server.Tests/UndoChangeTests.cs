namespace RevOps.Server.Tests;

/// <summary>undo_change reverts each kind of change as a new change by the caller, refuses on later edits unless forced, and previews with dry_run.</summary>
public sealed class UndoChangeTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static long LastSeq(TestTenant tenant, CrmServerFixture server) => ChangeLogFile.Read(server, tenant.TenantId)[^1].Seq;

    [Fact]
    public async Task UndoUpdate_RestoresPreviousValues_AsANewChange_DryRunWritesNothing()
    {
        var tenant = await server.CreateTenantAsync("Undo update");
        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Undo", Email = "old@undo.test", Title = "Analyst" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = id, Email = "new@undo.test", Title = "Manager" });

        var preview = await tenant.CallOkAsync("undo_change", new { seq = 2, dry_run = true });
        Assert.True(preview.GetProperty("dryRun").GetBoolean());
        Assert.Equal("old@undo.test", preview.GetProperty("changes").GetProperty("Email").Str("after"));
        Assert.Equal(2L, LastSeq(tenant, server));
        Assert.Equal("new@undo.test", (await tenant.CallOkAsync("get_contact", new { Id = id })).Str("Email"));

        var undone = await tenant.CallOkAsync("undo_change", new { seq = 2 });
        Assert.Equal((2L, "updated", "updated", false), (undone.GetProperty("undoneSeq").GetInt64(), undone.Str("undoneOperation"), undone.Str("operation"), undone.GetProperty("dryRun").GetBoolean()));
        var contact = await tenant.CallOkAsync("get_contact", new { Id = id });
        Assert.Equal(("old@undo.test", "Analyst"), (contact.Str("Email"), contact.Str("Title")));
        var row = ChangeLogFile.Read(server, tenant.TenantId)[^1];
        Assert.Equal((3L, "updated", tenant.UserId, tenant.KeyId), (row.Seq, row.Operation, row.Actor, row.KeyId));
        Assert.Equal(["Email", "Title"], row.Changes.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task UndoUpdate_LaterEditOfSameField_RefusesNamingIt_ForceOverwrites()
    {
        var tenant = await server.CreateTenantAsync("Undo conflict");
        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Clash", Title = "One", Department = "Sales" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = id, Title = "Two", Department = "Ops" });
        await tenant.CallOkAsync("update_contact", new { Id = id, Title = "Three" });

        var refused = Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = 2 }));
        Assert.StartsWith($"CONFLICT: change 2 cannot be undone cleanly: Contact '{id}' changed again since in Title (seq 3 updated by {tenant.UserId} at ", refused);
        Assert.EndsWith("). Send force: true to undo anyway (overwriting those later values), or fields: [\"Department\"] to undo only the fields not changed since.", refused);
        Assert.Equal(3L, LastSeq(tenant, server));

        var forced = await tenant.CallOkAsync("undo_change", new { seq = 2, force = true });
        var conflict = Assert.Single(forced.GetProperty("conflicts").EnumerateArray());
        Assert.Equal(("Title", "Two", "Three", 3L), (conflict.Str("field"), conflict.Str("then"), conflict.Str("now"), conflict.GetProperty("seq").GetInt64()));
        var contact = await tenant.CallOkAsync("get_record", new { Id = id });
        Assert.Equal(("One", "Sales"), (contact.Str("Title"), contact.Str("Department")));
    }

    [Fact]
    public async Task UndoCreateDeleteRestore_MoveTheRecordThroughTheRecycleBin()
    {
        var tenant = await server.CreateTenantAsync("Undo bin");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Binned" })).Str("Id");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Child", AccountId = account })).Str("Id");

        // Undo a create: the record (and what hangs on it) goes to the recycle bin.
        var uncreated = await tenant.CallOkAsync("undo_change", new { seq = 1 });
        Assert.Equal("deleted", uncreated.Str("operation"));
        var cascade = Assert.Single(uncreated.GetProperty("cascade").EnumerateArray());
        Assert.Equal(("Contact", contact, "Child"), (cascade.Str("object"), cascade.Str("Id"), cascade.Str("Name")));
        Assert.StartsWith("ENTITY_IS_DELETED: ", Mcp.ErrorText(await tenant.CallAsync("get_account", new { Id = account })));

        // Undo that delete (seq 3): both come back.
        var restored = await tenant.CallOkAsync("undo_change", new { seq = 3 });
        Assert.Equal(("restored", "deleted"), (restored.Str("operation"), restored.Str("undoneOperation")));
        Assert.Equal("Child", (await tenant.CallOkAsync("get_contact", new { Id = contact })).Str("LastName"));

        // Undo the restore (seq 5, after the contact's cascaded 4): deleted again.
        var rows = ChangeLogFile.Read(server, tenant.TenantId);
        var restoreSeq = rows.Single(r => r.Operation == "restored" && r.RecordId == account).Seq;
        Assert.Equal("deleted", (await tenant.CallOkAsync("undo_change", new { seq = restoreSeq })).Str("operation"));
        Assert.StartsWith("ENTITY_IS_DELETED: ", Mcp.ErrorText(await tenant.CallAsync("get_account", new { Id = account })));
        Assert.Equal(["created", "created", "deleted", "deleted", "restored", "restored", "deleted", "deleted"],
            ChangeLogFile.Read(server, tenant.TenantId).Select(r => r.Operation));
    }

    [Fact]
    public async Task UndoCreate_EditedSince_RefusesUnlessForced_AndConversionIsRefusedWithTheReason()
    {
        var tenant = await server.CreateTenantAsync("Undo refusals");
        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Edited" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = id, Phone = "+1 555 0142" });
        Assert.StartsWith($"CONFLICT: change 1 cannot be undone cleanly: Contact '{id}' changed again since in Phone (seq 2 updated by ",
            Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = 1 })));
        Assert.Equal("deleted", (await tenant.CallOkAsync("undo_change", new { seq = 1, force = true })).Str("operation"));

        string lead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Conv", Company = "Convco" } })).Str("Id");
        await tenant.CallOkAsync("convert_lead", new { LeadId = lead });
        var conversion = ChangeLogFile.Read(server, tenant.TenantId).Single(r => r.Operation == "converted").Seq;
        Assert.Equal($"INVALID_ARGUMENT: change {conversion} converted Lead '{lead}', which cannot be undone as one change: a converted lead stays converted, as in Salesforce. Undo the created Account, Contact or Opportunity changes (list_changes with operation: created) to delete what the conversion made.",
            Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = conversion })));
        Assert.Equal("NOT_FOUND: no change with seq 999 in this org. list_changes shows each change's seq.", Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = 999 })));
    }

    [Fact]
    public async Task UndoByField_PutsBackOnlyThoseFields_AsANewChange()
    {
        var tenant = await server.CreateTenantAsync("Undo by field");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Fields deal", StageName = "Prospecting", CloseDate = "2026-12-31", Amount = 1000 })).Str("Id");
        await tenant.CallOkAsync("update_record", new { Id = deal, fields = new { StageName = "Negotiation/Review", Amount = 5000 } });
        long write = LastSeq(tenant, server);

        var undone = await tenant.CallOkAsync("undo_change", new { seq = write, fields = new[] { "amount" } });
        // ExpectedRevenue follows Amount; StageName stays as the write left it.
        Assert.Equal(["Amount", "ExpectedRevenue"], undone.GetProperty("changes").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(1000, undone.GetProperty("changes").GetProperty("Amount").GetProperty("after").GetDouble());
        var after = await tenant.CallOkAsync("get_record", new { Id = deal });
        Assert.Equal(("Negotiation/Review", 1000d), (after.Str("StageName"), after.GetProperty("Amount").GetDouble()));
        var row = ChangeLogFile.Read(server, tenant.TenantId)[^1];
        Assert.Equal((write + 1, "updated", tenant.UserId), (row.Seq, row.Operation, row.Actor));
        Assert.Equal(["Amount", "ExpectedRevenue"], row.Changes.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task UndoByField_FieldTheChangeDidNotTouch_IsRefusedNamingTheFieldsItDid_AndNothingChanges()
    {
        var tenant = await server.CreateTenantAsync("Undo bad fields");
        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Picky", Title = "One", Department = "Sales" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = id, Title = "Two", Department = "Ops" });

        Assert.Equal("INVALID_ARGUMENT: change 2 did not change Email; it changed Title, Department. Send fields from those.",
            Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = 2, fields = new[] { "Title", "Email" } })));
        Assert.Equal("INVALID_ARGUMENT: fields is empty. Send some of the fields change 2 changed: Title, Department; or leave fields out to undo them all.",
            Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = 2, fields = Array.Empty<string>() })));
        Assert.Equal($"INVALID_ARGUMENT: fields picks fields of an update; change 1 is a created of Contact '{id}', which is undone whole. Send it again without fields.",
            Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = 1, fields = new[] { "Title" } })));
        Assert.Equal(2L, LastSeq(tenant, server));
        var contact = await tenant.CallOkAsync("get_record", new { Id = id });
        Assert.Equal(("Two", "Ops"), (contact.Str("Title"), contact.Str("Department")));
    }

    [Fact]
    public async Task UndoByField_ConflictsAreCheckedOnTheChosenFieldsOnly()
    {
        var tenant = await server.CreateTenantAsync("Undo field conflict");
        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Mixed", Title = "One", Department = "Sales" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = id, Title = "Two", Department = "Ops" });
        await tenant.CallOkAsync("update_contact", new { Id = id, Title = "Three" });

        // Title changed again since, Department did not: undoing Department alone is clean.
        var undone = await tenant.CallOkAsync("undo_change", new { seq = 2, fields = new[] { "Department" } });
        Assert.False(undone.TryGetProperty("conflicts", out _));
        var contact = await tenant.CallOkAsync("get_record", new { Id = id });
        Assert.Equal(("Three", "Sales"), (contact.Str("Title"), contact.Str("Department")));
        Assert.StartsWith("CONFLICT: change 2 cannot be undone cleanly: ",
            Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = 2, fields = new[] { "Title" } })));
    }

    [Fact]
    public async Task DryRun_WithConflicts_PreviewsAndListsThem_WithTheNextStep_WritingNothing()
    {
        var tenant = await server.CreateTenantAsync("Undo dry conflict");
        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Preview", Title = "One", Department = "Sales" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = id, Title = "Two", Department = "Ops" });
        await tenant.CallOkAsync("update_contact", new { Id = id, Title = "Three" });

        var preview = await tenant.CallOkAsync("undo_change", new { seq = 2, dry_run = true });
        Assert.True(preview.GetProperty("dryRun").GetBoolean());
        var conflict = Assert.Single(preview.GetProperty("conflicts").EnumerateArray());
        Assert.Equal(("Title", "Two", "Three", 3L), (conflict.Str("field"), conflict.Str("then"), conflict.Str("now"), conflict.GetProperty("seq").GetInt64()));
        Assert.Equal("Nothing was written. Title changed again since (see conflicts: the value then and now); send force: true without dry_run to overwrite them, or fields: [\"Department\"] to undo only the fields not changed since.",
            preview.Str("message"));
        Assert.DoesNotContain("dry_run: true", preview.Str("message"));
        Assert.Equal("One", preview.GetProperty("changes").GetProperty("Title").Str("after"));
        Assert.Equal(3L, LastSeq(tenant, server));
        Assert.Equal("Three", (await tenant.CallOkAsync("get_record", new { Id = id })).Str("Title"));

        // Every field conflicting: only force is offered.
        var all = await tenant.CallOkAsync("undo_change", new { seq = 2, dry_run = true, fields = new[] { "Title" } });
        Assert.Equal("Nothing was written. Title changed again since (see conflicts: the value then and now); send force: true without dry_run to overwrite them.", all.Str("message"));
        Assert.EndsWith("Send force: true to undo anyway (overwriting those later values).",
            Mcp.ErrorText(await tenant.CallAsync("undo_change", new { seq = 2, fields = new[] { "Title" } })));
        Assert.Equal(3L, LastSeq(tenant, server));
    }
}
