namespace RevOps.Server.Mcp;

public static class SearchDefaults
{
    public const int Limit = 50;
}
