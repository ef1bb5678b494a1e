using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Bridges;

/// <summary><c>Chatroom:Bridges</c>: the configured bridges by name.</summary>
public sealed class BridgesOptions
{
    public const string Section = "Chatroom:Bridges";

    public Dictionary<string, BridgeOptions> Bridges { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Refuses to start with a bridge whose settings are wrong, naming each problem.</summary>
public sealed class BridgesOptionsValidator : IValidateOptions<BridgesOptions>
{
    public ValidateOptionsResult Validate(string? name, BridgesOptions options)
    {
        var problems = options.Bridges.SelectMany(b => b.Value.Problems(b.Key)).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
