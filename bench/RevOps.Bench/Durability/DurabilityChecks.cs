namespace RevOps.Bench.Durability;

/// <summary>The names and promises of the durability run's checks, in report order.</summary>
public static class DurabilityChecks
{
    public const string Sigkill = "killed_with_sigkill";
    public const string Restarted = "restarted_on_same_data";
    public const string AnsweredWhileUp = "answered_while_up";
    public const string AcknowledgedPresent = "acknowledged_writes_present";
    public const string CreatedRowPerCreate = "one_created_row_per_acknowledged_create";
    public const string ChangeRowPerUpdate = "one_change_row_per_acknowledged_update";
    public const string RecordsMatchChangeLog = "records_match_change_log";
    public const string SequencesGapFree = "sequences_gap_free";
    public const string UnansweredAllOrNothing = "unanswered_all_or_nothing";
    public const string IdempotentRetry = "idempotent_retry_exactly_once";
    public const string NoUnaccountedRecords = "no_unaccounted_records";

    public static CheckBook Define()
    {
        var book = new CheckBook();
        book.Define(Sigkill, "Each kill hit a server that was up and acknowledging writes, and ended it with SIGKILL (exit code 137).");
        book.Define(Restarted, "After each kill the server restarted on the same data directory and every tenant's API key still worked.");
        book.Define(AnsweredWhileUp, "No write was refused while the server was up.");
        book.Define(AcknowledgedPresent, "Every acknowledged create exists with exactly the acknowledged field values; every updated record holds its last acknowledged value.");
        book.Define(CreatedRowPerCreate, "Every acknowledged create has exactly one `created` change-log row, carrying the written values.");
        book.Define(ChangeRowPerUpdate, "Every acknowledged update has exactly one change-log row, in the order the updates were acknowledged, and there are no others.");
        book.Define(RecordsMatchChangeLog, "Every record that exists has exactly one `created` row, and every change-log row's record exists (nothing half-written).");
        book.Define(SequencesGapFree, "Each tenant's change-log sequences are 1, 2, 3, … with no gap or repeat.");
        book.Define(UnansweredAllOrNothing, "A write whose answer was lost in a kill is, after the restart, entirely there (every field; every record of an all-or-none collection) or not there at all.");
        book.Define(IdempotentRetry, "Retrying an unanswered MCP write with its idempotency_key after the restart answers with the committed record (idempotentReplay) if it had committed and writes it if not: one record, one change row.");
        book.Define(NoUnaccountedRecords, "Every record in a tenant is one its clients wrote, and no write exists twice.");
        return book;
    }
}
