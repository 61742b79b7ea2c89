using RevOps.Domain.Records;
using RevOps.Domain.Search;
using RevOps.Domain.Search.Semantic;
using RevOps.Server.Hosting;
using RevOps.Storage;

namespace RevOps.Server.Search;

/// <summary>Registers ranked search and, when semantic search is on, the model, the vector cache and the indexer.</summary>
public static class SemanticServices
{
    public static IServiceCollection AddSemanticSearch(this IServiceCollection services, RevOpsOptions options)
    {
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Vectors);
        if (!options.Semantic)
        {
            services.AddSingleton(sp => new RankedSearch(sp.GetRequiredService<SearchService>(), sp.GetRequiredService<IRecordStore>()));
            return services;
        }
        if (options.SemanticEmbedder is { } embedder) services.AddSingleton(embedder);
        else services.AddSingleton<ITextEmbedder, ArcticEmbedder>();
        services.AddSingleton(sp => new VectorCache(sp.GetRequiredService<IVectorStore>(), sp.GetRequiredService<ITextEmbedder>().Dimensions, options.SemanticCacheBytes));
        services.AddSingleton<SemanticIndexer>();
        services.AddSingleton(sp => new RankedSearch(sp.GetRequiredService<SearchService>(), sp.GetRequiredService<IRecordStore>(),
            sp.GetRequiredService<ITextEmbedder>(), sp.GetRequiredService<VectorCache>()));
        return services;
    }
}
