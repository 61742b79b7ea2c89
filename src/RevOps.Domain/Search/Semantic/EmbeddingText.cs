using System.Text;
using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;

namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// The text a record is embedded as: its meaningful fields and its context, worded as a sentence-like
/// description (the models were trained on sentences, not field dumps). Ids, phones, emails and
/// addresses carry no meaning a model can use and are left to keyword search.
/// </summary>
public static class EmbeddingText
{
    /// <summary>The standard objects the semantic index holds; each tenant's custom objects join them.</summary>
    public static readonly IReadOnlyList<ObjectMetadata> Indexed =
    [
        StandardObjects.Account, StandardObjects.Contact, StandardObjects.Lead, StandardObjects.Opportunity,
        StandardObjects.Task, StandardObjects.Event,
    ];

    /// <summary>Longest text kept: the models read 512 tokens at most and the start says the most.</summary>
    const int MaxChars = 1500;

    /// <param name="account">The record's Account (Contacts, Opportunities, Tasks and Events), for its name and industry.</param>
    /// <param name="schema">The object's schema: its custom fields' types tell words from lookups, emails and dates. Without it every string value is taken.</param>
    public static string Build(Record record, Record? account, ObjectSchema? schema = null)
    {
        var text = new StringBuilder();
        if (record.Object.IsCustom)
            Add(text, record.Object.Label ?? record.Object.Name, Str(record, "Name")); // "Invoice: INV-0001"
        else switch (record.Object.Name)
        {
            case "Account":
                Add(text, "Company", Str(record, "Name"));
                Add(text, "Industry", Str(record, "Industry"));
                Add(text, "Type", Str(record, "Type"));
                Add(text, "Located in", Join(Str(record, "BillingCity"), Str(record, "BillingCountry")));
                break;
            case "Contact":
                Add(text, "Person", Join(Str(record, "FirstName"), Str(record, "LastName"), " "));
                Add(text, "Title", Str(record, "Title"));
                Add(text, "Level", TitleLevel.Words(Str(record, "Title")));
                Add(text, "Department", Str(record, "Department"));
                AddAccount(text, account);
                break;
            case "Lead":
                Add(text, "Prospect", Join(Str(record, "FirstName"), Str(record, "LastName"), " "));
                Add(text, "Title", Str(record, "Title"));
                Add(text, "Level", TitleLevel.Words(Str(record, "Title")));
                Add(text, "Company", Str(record, "Company"));
                Add(text, "Industry", Str(record, "Industry"));
                Add(text, "Lead status", Str(record, "Status"));
                break;
            case "Opportunity":
                Add(text, "Deal", Str(record, "Name"));
                Add(text, "Stage", Str(record, "StageName"));
                Add(text, "Next step", Str(record, "NextStep"));
                AddAccount(text, account);
                break;
            default: // Task, Event
                Add(text, record.Object.Name == "Event" ? "Meeting" : "Activity", Str(record, "Subject"));
                AddAccount(text, account);
                break;
        }
        Add(text, "Description", Str(record, "Description"));
        foreach (var (name, value) in record.Custom)
            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } custom && Words(schema, name))
                Add(text, Label(name), custom);
        return text.Length > MaxChars ? text.ToString(0, MaxChars) : text.ToString();
    }

    /// <summary>The index entry of a record and its vector: what structured filters test travels with it.</summary>
    public static RecordVector Entry(Record record, Record? account, float[] vector) => new(
        record.Object.Name, record.Id, record.DisplayName ?? Join(Str(record, "FirstName"), Str(record, "LastName"), " "),
        Str(record, "OwnerId"),
        record.Object.TryGetField("Industry", out _) ? Str(record, "Industry") : account is null ? null : Str(account, "Industry"),
        Str(record, "StageName"), record.Object.TryGetField("CreatedDate", out _) ? record["CreatedDate"] as DateTime? : null, vector);

    /// <summary>The Account whose name and industry give the record its context, if it has one.</summary>
    public static string? AccountId(Record record) =>
        record.Object.Name is "Account" or "Lead" ? null
        : record.Object.TryGetField("AccountId", out _) ? Str(record, "AccountId")
        : record.Object.TryGetField("WhatId", out _) && Str(record, "WhatId") is { } what && what.StartsWith(StandardObjects.Account.KeyPrefix, StringComparison.Ordinal) ? what
        : null;

    /// <summary>Longest part of an Account's description a child's text carries.</summary>
    const int MaxCompanyDescription = 160;

    /// <summary>
    /// The Account's name, industry and what it does (its description's start): "people at software companies" has to
    /// match a contact whose company's picklist industry is only "Technology" but whose description says it sells software.
    /// </summary>
    static void AddAccount(StringBuilder text, Record? account)
    {
        if (account is null) return;
        Add(text, "Company", Str(account, "Name"));
        Add(text, "Industry", Str(account, "Industry"));
        if (Str(account, "Description") is { } about)
            Add(text, "The company", about.Length > MaxCompanyDescription ? about[..MaxCompanyDescription] : about);
    }

    static bool Words(ObjectSchema? schema, string field) =>
        schema is null || (schema.TryGetCustom(field, out var f) && f.Type is FieldType.String or FieldType.TextArea or FieldType.Picklist or FieldType.MultiPicklist);

    static string Label(string customField) => customField.EndsWith("__c", StringComparison.OrdinalIgnoreCase)
        ? customField[..^3].Replace('_', ' ')
        : customField;

    static void Add(StringBuilder text, string label, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        if (text.Length > 0) text.Append(". ");
        text.Append(label).Append(": ").Append(value.Trim());
    }

    static string? Join(string? a, string? b, string separator = ", ") =>
        a is null ? b : b is null ? a : a + separator + b;

    static string? Str(Record record, string field) =>
        record.Object.TryGetField(field, out _) && record[field] is string s && s.Length > 0 ? s : null;
}
