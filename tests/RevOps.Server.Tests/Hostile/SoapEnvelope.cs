using System.Security;

namespace RevOps.Server.Tests.Hostile;

/// <summary>A partner-API convertLead envelope, the one SOAP call the server serves.</summary>
public static class SoapEnvelope
{
    public static string ConvertLead(string session, string leadId) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com">
          <soapenv:Header><SessionHeader><sessionId>{SecurityElement.Escape(session)}</sessionId></SessionHeader></soapenv:Header>
          <soapenv:Body><convertLead><leadConverts><leadId>{SecurityElement.Escape(leadId)}</leadId><convertedStatus>Closed - Converted</convertedStatus></leadConverts></convertLead></soapenv:Body>
        </soapenv:Envelope>
        """;
}
