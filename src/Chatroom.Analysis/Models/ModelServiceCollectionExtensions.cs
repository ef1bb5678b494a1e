using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Models;

public static class ModelServiceCollectionExtensions
{
    /// <summary>
    /// Registers the chat model named <paramref name="name"/> as a keyed <see cref="IChatClient"/> (key = the name), built
    /// once with the pipeline of <see cref="AnalysisModelClientFactory"/>, when <c>ConnectionStrings:{name}</c> is set;
    /// otherwise registers nothing, so consumers see no model. A malformed connection string stops start-up here, naming the key.
    /// </summary>
    /// <returns>Whether the model is configured.</returns>
    public static bool AddKeyedModelClient(this IHostApplicationBuilder builder, string name, Action<IHttpClientBuilder> configureHttp)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureHttp);
        var value = builder.Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        AddKeyedModelClient(builder, name, AnalysisModelConnection.Parse(value), configureHttp);
        return true;
    }

    /// <summary>
    /// A model the service configuration names (not a connection string of its own): <paramref name="modelSetting"/>'s model
    /// on the connection string <paramref name="name"/> when that is set, else on <paramref name="fallbackServer"/>'s server;
    /// nothing when neither is set.
    /// </summary>
    /// <returns>Whether the model is configured.</returns>
    public static bool AddKeyedModelClient(this IHostApplicationBuilder builder, string name, string? modelSetting, string fallbackServer, Action<IHttpClientBuilder> configureHttp)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var own = builder.Configuration.GetConnectionString(name);
        var server = string.IsNullOrWhiteSpace(own) ? builder.Configuration.GetConnectionString(fallbackServer) : own;
        if (string.IsNullOrWhiteSpace(server) || (string.IsNullOrWhiteSpace(own) && string.IsNullOrWhiteSpace(modelSetting)))
        {
            return false;
        }

        var connection = AnalysisModelConnection.Parse(server);
        AddKeyedModelClient(builder, name, string.IsNullOrWhiteSpace(modelSetting) ? connection : connection with { Model = modelSetting.Trim() }, configureHttp);
        return true;
    }

    private static void AddKeyedModelClient(IHostApplicationBuilder builder, string name, AnalysisModelConnection connection, Action<IHttpClientBuilder> configureHttp)
    {
        ArgumentNullException.ThrowIfNull(configureHttp);
        configureHttp(builder.Services.AddHttpClient(name));
        AnalysisModelClientFactory.Decorate(builder.Services.AddKeyedChatClient(name,
            sp => AnalysisModelClientFactory.Inner(connection, sp.GetRequiredService<IHttpClientFactory>().CreateClient(name))));
    }
}
