using ModelContextProtocol.Server;
using RevOps.Domain;
using RevOps.Domain.Changes;
using RevOps.Domain.Ids;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Search;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Domain.Writes;
using RevOps.Server.Maintenance;
using RevOps.Server.Mcp.Framework;
using RevOps.Server.Mcp.Tools;
using RevOps.Server.Search;
using RevOps.Server.Usage;
using RevOps.Server.Webhooks;

namespace RevOps.Server.Hosting;

/// <summary>The one place services are registered: by the HTTP server, the stdio MCP server and the CLI's commands.</summary>
public static class CoreServices
{
    /// <summary>
    /// What every process that works on the data needs, the CLI's one-shot commands included: options, the
    /// storage backend and its stores, and the domain services over them. Nothing here starts on its own.
    /// </summary>
    public static IServiceCollection AddRevOpsServices(this IServiceCollection services, RevOpsOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddRevOpsStorage(options.Storage);
        services.AddSingleton(options.PriceBook);
        services.AddSingleton<Domain.Usage.UsageService>();
        services.AddSingleton<SchemaService>();
        services.AddSingleton<CustomFieldRemoval>();
        services.AddSingleton(options.NodeId is { } node ? new IdGenerator(node) : IdGenerator.WithRandomNode());
        services.AddSingleton<Domain.Duplicates.DuplicateService>();
        services.AddSingleton<RecordService>();
        services.AddSingleton(sp => new RecycleBin(sp.GetRequiredService<IRecordStore>(), sp.GetRequiredService<TimeProvider>(), options.RecycleBinDays, sp.GetRequiredService<SchemaService>()));
        services.AddSingleton<LeadConversion>();
        services.AddSingleton<RecordMerge>();
        services.AddSingleton<Upsert>();
        services.AddSingleton<RecordBatch>();
        services.AddSingleton<RecordTree>();
        services.AddSingleton<BulkWrite>();
        services.AddSingleton<ChangeService>();
        services.AddSingleton<ChangeUndo>();
        services.AddSingleton<TenantService>();
        services.AddSingleton<Domain.Users.IPasswordHashing, Auth.PasswordHashing>();
        services.AddSingleton<Domain.Users.UserService>();
        services.AddSingleton<Domain.Users.SignInService>();
        services.AddSingleton<SearchService>();
        services.AddSemanticSearch(options);
        services.AddSingleton<PipelineService>();
        services.AddSingleton<Domain.Forecasting.IWinModelTrainer, Forecasting.FastTreeWinModelTrainer>();
        services.AddSingleton<Domain.Forecasting.ForecastTrainingQueue>();
        services.AddSingleton<Domain.Forecasting.ForecastService>();
        services.AddSingleton<SoqlService>();
        services.AddSingleton<SalesforceApi.GraphApi.GraphSchemas>();
        services.AddSingleton(options.Webhooks);
        services.AddSingleton<IWebhookTargetPolicy, WebhookTargetPolicy>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<Domain.BulkJobs.BulkJobProcessor>();
        services.AddSingleton<Domain.Work.WorkQueueService>();
        services.AddSingleton<Domain.Automation.AutomationExecutor>();
        services.AddSingleton<Domain.Automation.AutomationService>();
        services.AddSingleton<Domain.Voice.VoiceIntegrationService>();
        services.AddSingleton<Domain.Voice.CallLogger>();
        services.AddRevOpsFiles(options);
        return services;
    }

    /// <summary>
    /// Registrations shared by the HTTP server and the stdio server: <see cref="AddRevOpsServices"/>, the
    /// background work (recycle-bin purge, usage flush, webhook delivery), usage metering and the MCP tools.
    /// </summary>
    public static IServiceCollection AddRevOpsCore(this IServiceCollection services, RevOpsOptions options)
    {
        services.AddRevOpsServices(options);
        services.AddHostedService<RecycleBinPurger>();
        services.AddSingleton<UsageMeter>();
        services.AddHostedService<UsageFlusher>();
        services.AddWebhookHttp(options.Webhooks);
        Voice.RecordingFetcher.AddRecordingFetcher(services, options.Webhooks);
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton<WebhookTestRun>();
        services.AddSingleton<BulkJobs.BulkJobSignal>();
        services.AddHostedService<BulkJobs.BulkJobRunner>();
        if (options.Semantic) services.AddHostedService<Search.SemanticIndexWorker>();
        services.AddHostedService<Automation.AutomationRunner>();
        services.AddHostedService<Forecasting.ForecastTrainer>();

        services.AddSingleton<IToolArea, ContactTools>();
        services.AddSingleton<IToolArea, AccountTools>();
        services.AddSingleton<IToolArea, OpportunityTools>();
        services.AddSingleton<IToolArea, TaskTools>();
        services.AddSingleton<IToolArea, GenericRecordTools>();
        services.AddSingleton<IToolArea, FindRecordsTool>();
        services.AddSingleton<IToolArea, LeadTools>();
        services.AddSingleton<IToolArea, BulkWriteTool>();
        services.AddSingleton<IToolArea, MergeTools>();
        services.AddSingleton<IToolArea, SchemaTools>();
        services.AddSingleton<IToolArea, SearchTools>();
        services.AddSingleton<IToolArea, PipelineTools>();
        services.AddSingleton<IToolArea, ForecastTools>();
        services.AddSingleton<IToolArea, SoqlTools>();
        services.AddSingleton<IToolArea, WebhookTools>();
        services.AddSingleton<IToolArea, AutomationTools>();
        services.AddSingleton<IToolArea, WorkQueueTools>();
        services.AddSingleton<IToolArea, ChangeTools>();
        services.AddSingleton<IToolArea, UsageTools>();
        services.AddSingleton<ToolCatalog>();
        // The catalog is taken from the container when the options are made, not injected into this configuration:
        // MapMcp builds the options' factory (and so every IConfigureOptions with its dependencies) at start, and an
        // injected catalog would be built then, before Kestrel listens, though nothing reads it before the first MCP request.
        services.AddOptions<McpServerOptions>().Configure<IServiceProvider>((mcp, container) =>
        {
            mcp.ServerInfo = new() { Name = "revops", Title = "RevOps CRM", Version = ServerVersion.Current };
            mcp.ServerInstructions = Instructions;
            mcp.ToolCollection = container.GetRequiredService<ToolCatalog>().Collection;
        });
        return services;
    }

    const string Instructions =
        "RevOps is a CRM with Salesforce's data model: Accounts (companies, 001…), Contacts (people, 003…), Leads (00Q…), " +
        "Opportunities (deals, 006…), Tasks (00T…), Events (00U…) and Users (005…, the owners). Search before you create: search_crm " +
        "forgives typos and says what to try next. The create and update tools accept any field of their object (describe_object lists " +
        "them, custom __c fields too); answers leave out empty and audit fields unless fields asks. One call does a lot: create_record " +
        "nests an Account's Contacts and deals, create_task logs a call with its follow_up, convert_lead takes the deal's fields, " +
        "bulk_write takes up to 10,000 records (on_duplicate: report, skip or block), soql_query answers across objects, forecast " +
        "says what a period will close and how sure that is. Deletes go to a recycle bin (delete_record restore: true); list_changes is the history (Id for one record), " +
        "undo_change reverts a change or only some fields. Writes take idempotency_key and dry_run. Errors say what to send instead. " +
        "Every tool is listed; /mcp?toolsets=all also lists get_record_history, restore_record and pipeline_summary, which the tools above cover.";
}
