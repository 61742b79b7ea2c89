using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// The one SOAP call Salesforce clients need that REST lacks: convertLead (jsforce's
/// conn.soap.convertLead). The session id in the envelope is the API key; each leadConverts
/// element runs through the same conversion as the convert_lead tool.
/// </summary>
public static class SoapEndpoint
{
    static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/services/Soap/u/{version}", HandleAsync);

    static async Task<IResult> HandleAsync(HttpContext http, string version, TenantService tenants, LeadConversion conversion, CancellationToken ct)
    {
        XDocument envelope;
        try
        {
            // No DTDs: an envelope must not make the server fetch or expand anything.
            using var reader = XmlReader.Create(http.Request.Body, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, Async = true });
            envelope = await XDocument.LoadAsync(reader, LoadOptions.None, ct);
        }
        catch (XmlException e)
        {
            return Fault("soapenv:Client", "INVALID_REQUEST", $"The request is not a SOAP envelope: {e.Message}");
        }

        string? session = envelope.Descendants().FirstOrDefault(e => e.Name.LocalName == "sessionId")?.Value.Trim();
        var caller = session is null ? null : await tenants.AuthenticateAsync(session, SfRequest.Channel, ct);
        if (caller is null) return Fault("sf:INVALID_SESSION_ID", "INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session");
        caller = caller with { RequestId = Observability.RequestIds.Of(http) };

        var convert = envelope.Descendants().FirstOrDefault(e => e.Name.LocalName == "convertLead");
        if (convert is null) return Fault("sf:INVALID_OPERATION", "INVALID_OPERATION", "Only convertLead is served over SOAP; use the REST API for everything else.");

        var body = new StringBuilder();
        foreach (var item in convert.Elements().Where(e => e.Name.LocalName == "leadConverts"))
        {
            string? Value(string name) => item.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } v ? v : null;
            var request = new LeadConversionRequest(Value("leadId"), Value("accountId"), Value("contactId"),
                CreateOpportunity: !string.Equals(Value("doNotCreateOpportunity"), "true", StringComparison.OrdinalIgnoreCase),
                OpportunityName: Value("opportunityName"), ConvertedStatus: Value("convertedStatus")) { OwnerId = Value("ownerId") };
            var result = await conversion.ConvertAsync(caller, request, ct);
            body.Append("<result>");
            if (result.IsOk)
            {
                var r = result.Value;
                body.Append($"<accountId>{r.Account.Id}</accountId><contactId>{r.Contact.Id}</contactId><leadId>{r.Lead.Id}</leadId>");
                body.Append(r.Opportunity is null ? "<opportunityId xsi:nil=\"true\"/>" : $"<opportunityId>{r.Opportunity.Id}</opportunityId>");
                // No <errors> on success: an empty one becomes a bogus error entry in jsforce.
                body.Append("<success>true</success>");
            }
            else
            {
                var error = SfError.From(result.Error);
                body.Append($"<accountId xsi:nil=\"true\"/><contactId xsi:nil=\"true\"/><leadId>{SecurityElement.Escape(Value("leadId") ?? "")}</leadId><opportunityId xsi:nil=\"true\"/>");
                body.Append($"<success>false</success><errors><message>{SecurityElement.Escape(error.Message)}</message><statusCode>{error.ErrorCode}</statusCode></errors>");
            }
            body.Append("</result>");
        }
        return Xml(200, $"<soapenv:Body><convertLeadResponse>{body}</convertLeadResponse></soapenv:Body>");
    }

    static IResult Fault(string faultCode, string exceptionCode, string message) => Xml(500,
        $"<soapenv:Body><soapenv:Fault><faultcode>{faultCode}</faultcode><faultstring>{SecurityElement.Escape($"{exceptionCode}: {message}")}</faultstring></soapenv:Fault></soapenv:Body>");

    static IResult Xml(int status, string body) => Results.Text(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" " +
        $"xmlns=\"{Partner}\" xmlns:sf=\"urn:fault.partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{body}</soapenv:Envelope>",
        "text/xml; charset=utf-8", Encoding.UTF8, status);
}
