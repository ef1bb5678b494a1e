using Chatroom.Analysis.Agents;
using Chatroom.Analysis.Agents.Discussions;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Analysis.Agents.Tools;
using Chatroom.Analysis.Bridges;
using Chatroom.Analysis.Guardian;
using Chatroom.Analysis.Knowledge;
using Chatroom.Analysis.Models;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Analysis.Webhooks;
using Chatroom.Backends;
using Chatroom.ServiceDefaults.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis;

public static class ChatAnalysisExtensions
{
    public const string ModerationSection = "Chatroom:Moderation";

    /// <summary>
    /// The moderation cascade (in-process classifiers; the LLM tier and the safety judge when their models are configured),
    /// the queue worker and its options.
    /// </summary>
    public static IHostApplicationBuilder AddChatAnalysis(this IHostApplicationBuilder builder)
    {
        builder.AddChatCore();
        builder.Services.AddOptions<AnalysisOptions>().Bind(builder.Configuration.GetSection(AnalysisOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ModerationOptions>().Bind(builder.Configuration.GetSection(ModerationSection))
            .ValidateDataAnnotations()
            .Validate(o => !o.Escalation.Problems().Any(), "Chatroom:Moderation:Escalation names an unknown category, or a floor or band outside 0..1 (Low ≤ High).")
            .ValidateOnStart();
        builder.Services.AddOptions<SafetyJudgeOptions>().Bind(builder.Configuration.GetSection($"{ModerationSection}:{SafetyJudgeOptions.SectionName}"))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LlmModeratorOptions>().Bind(builder.Configuration.GetSection(ModerationSection + ":LlmClient"))
            .ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton(_ => ModerationLexicon.Default);
        builder.Services.AddSingleton<ClassifierModerator>();
        builder.Services.AddSingleton<TokenUsageRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TokenUsageRecorder>());
        builder.Services.AddSingleton<LlmMetrics>();
        builder.Services.AddSingleton<AnalysisMetrics>();
        builder.Services.AddSingleton<EscalationMetrics>();
        builder.Services.AddSingleton<TrendWatcher>();

        // LlmModerator's and SafetyJudge's own Polly pipelines own timeouts and retries; the standard handler would cut long
        // generations and retry requests those pipelines already retry.
        Action<IHttpClientBuilder> moderationHttp = http => http.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan).WithoutStandardResilience();
        AddSecondStage(builder);
        if (builder.AddKeyedModelClient(ModelKeys.Analysis, moderationHttp))
        {
            builder.Services.AddSingleton<LlmModerator>();
        }

        var safety = builder.Configuration.GetSection($"{ModerationSection}:{SafetyJudgeOptions.SectionName}");
        if (safety.GetValue(nameof(SafetyJudgeOptions.Enabled), true)
            && builder.AddKeyedModelClient(ModelKeys.Safety, safety[nameof(SafetyJudgeOptions.Model)], ModelKeys.Analysis, moderationHttp))
        {
            builder.Services.AddSingleton<SafetyJudge>();
        }

        var policy = builder.Configuration.GetSection($"{ModerationSection}:{PolicyReviewerOptions.SectionName}");
        builder.Services.AddOptions<PolicyReviewerOptions>().Bind(policy).ValidateDataAnnotations().ValidateOnStart();
        if (policy.GetValue(nameof(PolicyReviewerOptions.Enabled), true)
            && builder.AddKeyedModelClient(ModelKeys.Policy, policy[nameof(PolicyReviewerOptions.Model)], ModelKeys.Analysis, moderationHttp))
        {
            builder.Services.AddSingleton<PolicyReviewer>();
        }

        builder.Services.AddSingleton(sp => new ModerationCascade(
            sp.GetRequiredService<ClassifierModerator>(), sp.GetRequiredService<IOptionsMonitor<ModerationOptions>>(),
            sp.GetService<LlmModerator>(), sp.GetService<SafetyJudge>(), sp.GetRequiredService<EscalationMetrics>(), sp.GetRequiredService<SecondStage>()));

        builder.Services.AddSingleton<ModelStatusProbe>();
        builder.Services.AddHttpClient(ModelStatusProbe.HttpClientName).WithoutStandardResilience();
        builder.Services.AddHostedService<AnalysisWorker>();
        builder.Services.AddHostedService<AppealWorker>();
        builder.AddChatWebhooks();
        builder.AddChatBridges();
        AddAgents(builder);
        builder.AddGuardianAgent();
        return builder;
    }

    /// <summary>
    /// The embedded tier's second stage reads all-MiniLM-L6-v2 vectors whatever model knowledge search uses: the local
    /// generator is the one knowledge registers when no embedding model is configured, and its own instance otherwise.
    /// </summary>
    private static void AddSecondStage(IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(sp => new LocalEmbeddingGenerator(sp.GetRequiredService<ILogger<LocalEmbeddingGenerator>>()));
        builder.Services.AddSingleton(sp => new SecondStage(
            sp.GetRequiredService<ClassifierModerator>(),
            sp.GetRequiredService<LocalEmbeddingGenerator>(),
            sp.GetRequiredService<IOptionsMonitor<ModerationOptions>>(),
            sp.GetRequiredService<ILogger<SecondStage>>(),
            metrics: sp.GetRequiredService<EscalationMetrics>(),
            time: sp.GetService<TimeProvider>()));
    }

    public static WebApplication MapChatAnalysis(this WebApplication app)
    {
        app.MapClassifyApi();
        app.MapModeratorDecisionsApi();
        app.MapModelStatusApi();
        app.MapKnowledgeApi();
        app.MapDiscussionApi();
        app.MapGuardianScoreApi();
        return app;
    }

    /// <summary>Agents (catalog, router, runner, tools, topic watches) and the knowledge base they search.</summary>
    private static void AddAgents(IHostApplicationBuilder builder)
    {
        // Streamed agent replies last longer than the standard handler's 10 s attempt timeout, and a retried generation
        // would bill twice; the runner has its own limits.
        builder.AddKeyedModelClient(ModelKeys.Reasoning, http => http.WithoutStandardResilience());
        builder.Services.AddSingleton<AgentModelClients>();
        builder.AddKnowledge();
        builder.Services.AddSingleton<AgentCatalog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentCatalog>());
        builder.Services.AddSingleton<AgentFeed>();
        builder.Services.AddSingleton<AgentToolbox>();
        builder.Services.AddSingleton<ToolGate>();
        builder.Services.AddSingleton<NoModelResponder>();
        builder.Services.AddSingleton<CommandReader>();
        builder.Services.AddSingleton<SemanticMatcher>();
        builder.Services.AddSingleton<TopicWatcher>();
        builder.Services.AddSingleton<AgentRunner>();
        builder.Services.AddSingleton<DiscussionManager>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DiscussionManager>());
        builder.Services.AddSingleton<IntentRouter>();
        builder.Services.AddOptions<AgentOptions>().Bind(builder.Configuration.GetSection(AgentOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.IntentTimeout > TimeSpan.Zero, "Chatroom:Agents:IntentTimeout must be positive.")
            .ValidateOnStart();
        builder.Services.AddHostedService<AgentWorker>();
    }
}
