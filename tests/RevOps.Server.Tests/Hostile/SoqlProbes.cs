namespace RevOps.Server.Tests.Hostile;

/// <summary>SOQL that names tenant A's values: filters, semi-joins, aggregates and child subqueries.</summary>
public static class SoqlProbes
{
    /// <summary>Each query with the value it carries (the probe's secret), taken from A's dataset.</summary>
    public static IEnumerable<(string Template, string Secret)> For(VictimDataset victim) =>
    [
        ("SELECT Id, Name, Email FROM Contact WHERE Id = '{0}'", victim["Contact"]),
        ("SELECT Id, Name FROM Contact WHERE Id = '{0}'", victim["DeletedContact"]),
        ("SELECT Id FROM Lead WHERE Id = '{0}'", victim["ConvertedLead"]),
        ("SELECT Id, Name FROM Contact WHERE Email = '{0}'", victim["ContactEmail"]),
        ("SELECT Id, Name FROM Contact WHERE Email = '{0}'", victim["DeletedEmail"]),
        ("SELECT COUNT() FROM Contact WHERE Email = '{0}'", victim["ContactEmail"]),
        ("SELECT COUNT(Id) total, StageName FROM Opportunity WHERE Name = '{0}' GROUP BY StageName", victim["OpportunityName"]),
        ("SELECT SUM(Amount) total, MAX(Amount) biggest FROM Opportunity WHERE AccountId = '{0}'", victim["Account"]),
        ("SELECT Id, Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email = '{0}')", victim["ContactEmail"]),
        ("SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Name = '{0}')", victim["AccountName"]),
        ("SELECT Name, (SELECT LastName, Email FROM Contacts) FROM Account WHERE Name = '{0}'", victim["AccountName"]),
        ("SELECT Name, (SELECT Subject FROM Tasks) FROM Opportunity WHERE Id = '{0}'", victim["Opportunity"]),
        ("SELECT Id, Subject FROM Task WHERE WhoId = '{0}'", victim["Contact"]),
        ("SELECT Id, Subject FROM Event WHERE Subject LIKE '{0}%'", victim["EventSubject"]),
        ("SELECT Id, Name FROM Contact WHERE Name LIKE '%{0}%'", victim["ContactLastName"]),
        ("SELECT Id, Account.Name FROM Contact WHERE Account.Name = '{0}'", victim["AccountName"]),
        ("SELECT Id FROM Lead WHERE IsConverted = true AND Company = '{0}'", victim["ConvertedCompany"]),
        ("SELECT Id FROM Account WHERE IsDeleted = true AND Name = '{0}'", victim["DeletedAccountName"]),
        ("SELECT Id FROM Contact WHERE " + VictimDataset.CustomField + " = '{0}'", victim["CustomValue"]),
        ("SELECT Id, Name FROM Account WHERE Phone = '{0}'", victim["Phone"]),
    ];
}
