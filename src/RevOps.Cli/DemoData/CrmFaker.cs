using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bogus;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;

namespace RevOps.Cli.DemoData;

/// <summary>
/// Realistic field values for one tenant's records, from Bogus with a fixed seed, as the
/// <see cref="RecordInput"/> a create call would receive (Salesforce field names, JSON values).
/// Picklist values come from the metadata, so the domain accepts every record as it would over MCP.
/// </summary>
internal sealed class CrmFaker
{
    static readonly string[] Departments = ["Sales", "Marketing", "Finance", "Engineering", "Operations", "IT", "Human Resources", "Legal", "Support", "Procurement", "Executive"];
    static readonly string[] TaskVerbs = ["Call", "Email", "Follow up with", "Send proposal to", "Schedule demo with", "Send contract to", "Check in with", "Prepare QBR for"];
    static readonly string[] OpenStages = OpportunityStages.All.Where(s => !s.IsClosed).Select(s => s.Name).ToArray();
    static readonly string[] ClosedStages = ["Closed Won", "Closed Lost"];
    static readonly string[] AccountType = [.. Picklists.AccountType];
    static readonly string[] Industry = [.. Picklists.Industry];
    static readonly string[] Rating = [.. Picklists.Rating];
    static readonly string[] Salutation = [.. Picklists.Salutation];
    static readonly string[] LeadSource = [.. Picklists.LeadSource];
    static readonly string[] OpportunityType = [.. Picklists.OpportunityType];
    static readonly string[] ActivityType = [.. Picklists.ActivityType];
    static readonly string[] TaskPriority = [.. Picklists.TaskPriority];
    static readonly string[] OpenTaskStatuses = Picklists.TaskStatus.Where(s => s != "Completed").ToArray();
    static readonly float[] TaskPriorityWeights = [0.2f, 0.65f, 0.15f];

    readonly Faker _faker;
    readonly DateOnly _today;
    readonly ArrayBufferWriter<byte> _buffer = new(1024);
    readonly Utf8JsonWriter _json;

    /// <param name="today">The dataset's "now": open deals close after it, closed ones before.</param>
    public CrmFaker(int seed, DateOnly today)
    {
        _faker = new Faker("en") { Random = new Randomizer(seed) };
        _today = today;
        _json = new Utf8JsonWriter(_buffer);
    }

    public Randomizer Random => _faker.Random;

    public RecordInput Account(int index, out string name, out string domain)
    {
        name = _faker.Company.CompanyName();
        domain = Slug(name, 40) + "." + _faker.PickRandom("com", "com", "com", "io", "net", "co");
        Begin();
        _json.WriteString("Name", name);
        _json.WriteString("AccountNumber", string.Create(CultureInfo.InvariantCulture, $"ACC-{index:D7}"));
        _json.WriteString("Type", _faker.PickRandom(AccountType));
        _json.WriteString("Industry", _faker.PickRandom(Industry));
        _json.WriteString("Rating", _faker.PickRandom(Rating));
        _json.WriteNumber("AnnualRevenue", _faker.Random.Int(1, 5_000) * 100_000);
        _json.WriteNumber("NumberOfEmployees", _faker.Random.Int(5, 60_000));
        _json.WriteString("Website", "www." + domain);
        _json.WriteString("Phone", _faker.Phone.PhoneNumber("+1 ###-###-####"));
        _json.WriteString("BillingStreet", _faker.Address.StreetAddress());
        _json.WriteString("BillingCity", Cut(_faker.Address.City(), 40));
        _json.WriteString("BillingState", _faker.Address.StateAbbr());
        _json.WriteString("BillingPostalCode", _faker.Address.ZipCode("#####"));
        _json.WriteString("BillingCountry", "United States");
        return End();
    }

    /// <param name="takenEmails">The tenant's emails so far: a clash gets a number ("ada.lovelace2@…"), as people do, so a lookup by email has one answer.</param>
    public RecordInput Contact(string? accountId, string domain, ISet<string> takenEmails, out string firstName, out string lastName, out string email)
    {
        firstName = _faker.Name.FirstName();
        lastName = _faker.Name.LastName();
        string local = $"{Slug(firstName, 20)}.{Slug(lastName, 30)}";
        email = $"{local}@{domain}";
        for (int n = 2; !takenEmails.Add(email); n++) email = string.Create(CultureInfo.InvariantCulture, $"{local}{n}@{domain}");
        Begin();
        if (_faker.Random.Bool(0.4f)) _json.WriteString("Salutation", _faker.PickRandom(Salutation));
        _json.WriteString("FirstName", firstName);
        _json.WriteString("LastName", lastName);
        _json.WriteString("Email", email);
        _json.WriteString("Phone", _faker.Phone.PhoneNumber("+1 ###-###-####"));
        if (_faker.Random.Bool(0.6f)) _json.WriteString("MobilePhone", _faker.Phone.PhoneNumber("+1 ###-###-####"));
        if (accountId is not null) _json.WriteString("AccountId", accountId);
        _json.WriteString("Title", Cut(_faker.Name.JobTitle(), 128));
        _json.WriteString("Department", _faker.PickRandom(Departments));
        _json.WriteString("LeadSource", _faker.PickRandom(LeadSource));
        _json.WriteString("MailingCity", Cut(_faker.Address.City(), 40));
        _json.WriteString("MailingState", _faker.Address.StateAbbr());
        _json.WriteString("MailingCountry", "United States");
        return End();
    }

    public RecordInput Opportunity(string? accountId, string accountName, out string name, out string stage)
    {
        name = Cut($"{accountName} - {_faker.Commerce.ProductName()}", 120);
        bool closed = _faker.Random.Bool(0.4f);
        stage = closed ? _faker.PickRandom(ClosedStages) : _faker.PickRandom(OpenStages);
        var closeDate = closed ? _today.AddDays(-_faker.Random.Int(1, 540)) : _today.AddDays(_faker.Random.Int(0, 270));
        Begin();
        _json.WriteString("Name", name);
        _json.WriteString("StageName", stage);
        _json.WriteString("CloseDate", closeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        _json.WriteNumber("Amount", _faker.Random.Int(10, 5_000) * 100);
        if (accountId is not null) _json.WriteString("AccountId", accountId);
        _json.WriteString("Type", _faker.PickRandom(OpportunityType));
        _json.WriteString("LeadSource", _faker.PickRandom(LeadSource));
        if (!closed && _faker.Random.Bool(0.5f)) _json.WriteString("NextStep", _faker.PickRandom("Send proposal", "Schedule demo", "Legal review", "Pricing call", "Executive sponsor meeting"));
        return End();
    }

    public RecordInput Task(string? whoId, string? whatId, string accountName)
    {
        var due = _today.AddDays(_faker.Random.Int(-365, 60));
        bool past = due < _today;
        string status = past && _faker.Random.Bool(0.8f) ? "Completed" : _faker.PickRandom(OpenTaskStatuses);
        Begin();
        _json.WriteString("Subject", Cut($"{_faker.PickRandom(TaskVerbs)} {accountName}", 255));
        if (whoId is not null) _json.WriteString("WhoId", whoId);
        if (whatId is not null) _json.WriteString("WhatId", whatId);
        _json.WriteString("Status", status);
        _json.WriteString("Priority", _faker.Random.WeightedRandom(TaskPriority, TaskPriorityWeights));
        _json.WriteString("Type", _faker.PickRandom(ActivityType));
        _json.WriteString("ActivityDate", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return End();
    }

    void Begin()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
    }

    RecordInput End()
    {
        _json.WriteEndObject();
        _json.Flush();
        var root = JsonElement.Parse(_buffer.WrittenSpan);
        var fields = new List<KeyValuePair<string, JsonElement>>(16);
        foreach (var property in root.EnumerateObject()) fields.Add(new(property.Name, property.Value));
        return new RecordInput(fields);
    }

    /// <summary>Lower-case letters and digits only: "O'Keefe" becomes "okeefe", for emails and domains.</summary>
    static string Slug(string text, int max)
    {
        var slug = new StringBuilder(Math.Min(text.Length, max));
        foreach (char c in text)
        {
            if (slug.Length == max) break;
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(char.ToLowerInvariant(c));
        }
        return slug.Length == 0 ? "x" : slug.ToString();
    }

    static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
