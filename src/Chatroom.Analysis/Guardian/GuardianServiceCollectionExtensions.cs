using Chatroom.Analysis.Knowledge;
using Chatroom.Core.GuardianCases;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Guardian;

public static class GuardianServiceCollectionExtensions
{
    /// <summary>
    /// The guardian agent: its options, the embedded scorer (local MiniLM, no model server) and its exemplar index, the monitor
    /// the analysis worker feeds, case summaries, and the refresher that feeds confirmed cases back into the index.
    /// </summary>
    public static IHostApplicationBuilder AddGuardianAgent(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GuardianOptions>().Bind(builder.Configuration.GetSection(GuardianOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(sp => new LocalEmbeddingGenerator(sp.GetRequiredService<ILogger<LocalEmbeddingGenerator>>()));
        builder.Services.AddSingleton(_ => GuardianModel.Default);
        builder.Services.AddSingleton(sp => new GuardianExemplarIndex(sp.GetRequiredService<LocalEmbeddingGenerator>()));
        builder.Services.AddSingleton(sp => new GuardianScorer(
            sp.GetRequiredService<LocalEmbeddingGenerator>(), sp.GetRequiredService<GuardianExemplarIndex>(),
            sp.GetRequiredService<GuardianModel>(), sp.GetRequiredService<IOptionsMonitor<GuardianOptions>>()));
        builder.Services.TryAddSingleton<GuardianCaseMetrics>();
        builder.Services.AddSingleton<GuardianCaseSummarizer>();
        builder.Services.AddSingleton<GuardianMonitor>();
        builder.Services.AddSingleton<GuardianExemplarRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GuardianExemplarRefresher>());
        return builder;
    }
}
