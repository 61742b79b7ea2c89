using System.Text.Json;
using RevOps.Domain.Metadata;

namespace RevOps.Domain.Automation;

/// <summary>
/// One validated action of a rule. Field values are JSON as sent; strings may hold merge fields
/// ({!Name}, {!Account.Name}, {!TODAY+3}).
/// </summary>
/// <param name="Object">create_record: the object to create.</param>
/// <param name="Parent">update_fields: the reference field of the record whose parent is updated (e.g. AccountId); null updates the record itself.</param>
/// <param name="Users">assign_owner: one user (fixed) or several, taken in turn (round-robin).</param>
public sealed record RuleAction(
    string Type,
    ObjectMetadata? Object,
    IReadOnlyList<KeyValuePair<string, JsonElement>> Fields,
    string? Parent,
    IReadOnlyList<string> Users)
{
    /// <summary>webhook: the subscription (manage_webhooks) whose URL and secret the event goes to.</summary>
    public string? WebhookId { get; init; }

    /// <summary>enqueue_work: the queue, the item's type and its priority (the prompt and due date are in <see cref="Fields"/>, as merge-field values).</summary>
    public string? Queue { get; init; }
    public string? WorkType { get; init; }
    public string? Priority { get; init; }

    public const string CreateRecord = "create_record";
    public const string UpdateFields = "update_fields";
    public const string AssignOwner = "assign_owner";
    public const string Webhook = "webhook";
    public const string EnqueueWork = "enqueue_work";

    public static readonly IReadOnlyList<string> Available = [CreateRecord, UpdateFields, AssignOwner, Webhook, EnqueueWork];

    /// <summary>The operation of the event a webhook action sends; its changes hold the action's rendered fields.</summary>
    public const string WebhookOperation = "automation";
}
