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

        var connection = AnalysisModelConnection.Parse(value);
        configureHttp(builder.Services.AddHttpClient(name));
        AnalysisModelClientFactory.Decorate(builder.Services.AddKeyedChatClient(name,
            sp => AnalysisModelClientFactory.Inner(connection, sp.GetRequiredService<IHttpClientFactory>().CreateClient(name))));
        return true;
    }
}
